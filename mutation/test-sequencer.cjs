/**
 * The test sequencer of `npm run test:mutation` (stryker.config.mjs): jest's
 * own order, but in a mutant run only the test files that hold one of the
 * tests Stryker asks for (its testNamePattern, the tests that reached the
 * mutant), quickest first. Stryker's jest runner selects files with findRelatedTests, which
 * here is almost every file (packages/devkit/src/stack.ts imports every server);
 * jest would load each of them only to skip all their tests. The file of each
 * test comes from the index mutation/bail-environment.cjs writes during
 * Stryker's initial run; without an index (plain jest) or when no file
 * matches, every file runs.
 */
const { existsSync, readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { ACTIVE_MUTANT, testIndexFile } = require('./test-index.cjs');

class MutantTestSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.testNamePattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    if (process.env[ACTIVE_MUTANT] === undefined || !this.testNamePattern || sorted.length === 0) return sorted;
    const indexFile = testIndexFile(sorted[0].context.config.rootDir);
    if (!existsSync(indexFile)) return sorted;
    const pattern = new RegExp(this.testNamePattern, 'i'); // as jest-circus matches it
    const wanted = new Set();
    for (const line of readFileSync(indexFile, 'utf8').split('\n')) {
      if (!line) continue;
      const [path, name] = JSON.parse(line);
      if (pattern.test(name)) wanted.add(path);
    }
    const selected = sorted.filter((test) => wanted.has(test.path));
    if (selected.length === 0) return sorted;
    // With the bail, the first failure ends the run: files that failed last time (they killed the
    // previous mutant) first, then the quickest, instead of jest's slowest-first.
    const rank = (test) => (this.hasFailed(test) ? 0 : 1);
    return selected.sort((a, b) => rank(a) - rank(b) || (a.duration ?? Infinity) - (b.duration ?? Infinity));
  }
}

module.exports = MutantTestSequencer;
