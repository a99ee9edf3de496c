/**
 * The jest environment of `npm run test:mutation` (stryker.config.mjs): jest's
 * node environment, plus two things that only make mutant runs cheaper and
 * change no mutant's status.
 *
 * A bail. Stryker wants a mutant's run to stop at its first failing test (that
 * test already kills it), but its jest runner cannot ask jest for that, so
 * without this every test that reaches a mutant runs to the end, a few minutes
 * for a mutant reached by every request. Once a test or hook fails while a
 * mutant is active, the rest of that run is skipped: the remaining tests of the
 * file and, in the files after it, everything including their beforeAll hooks.
 *
 * A record of which file holds which test, written during Stryker's initial
 * run (no mutant active) and read by mutation/test-sequencer.cjs, which then
 * leaves out the files holding none of the tests a mutant run asks for.
 */
const { appendFileSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');
const { ACTIVE_MUTANT, testIndexFile, testId } = require('./test-index.cjs');

/** The mutant whose run saw a failure; module state, so it outlives one test file (Stryker runs jest in band). */
let failedMutant;

class BailEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.indexFile = testIndexFile(config.projectConfig.rootDir);
  }

  async handleTestEvent(event, state) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      if (event.name === 'test_start') appendFileSync(this.indexFile, JSON.stringify([this.testPath, testId(event.test)]) + '\n');
      return;
    }
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') {
      failedMutant = mutant;
    } else if (failedMutant === mutant) {
      if (event.name === 'run_start') state.rootDescribeBlock.mode = 'skip';
      // A test that already carries an error (its beforeAll failed) must still be reported as failed.
      else if (event.name === 'test_start' && event.test.errors.length === 0) event.test.mode = 'skip';
    }
  }
}

module.exports = BailEnvironment;
