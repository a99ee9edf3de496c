/** What mutation/bail-environment.cjs and mutation/test-sequencer.cjs share: where the test index lives and how a test is named. */
const { join } = require('node:path');

/** Set by Stryker's jest runner for each mutant run. */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** One `[testPath, test name]` JSON line per test of Stryker's initial run, in the sandbox (rootDir). */
const testIndexFile = (rootDir) => join(rootDir, '.stryker-test-index.jsonl');

/** A test's full name as jest's testNamePattern (and Stryker's test ids) see it: describe names and the test's, space-separated. */
function testId(test) {
  const names = [];
  for (let block = test.parent; block && block.parent; block = block.parent) names.unshift(block.name);
  return [...names, test.name].join(' ');
}

module.exports = { ACTIVE_MUTANT, testIndexFile, testId };
