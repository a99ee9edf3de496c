/**
 * The jest environment of `npm run test:mutation` (stryker.config.mjs): jest's
 * node environment, plus a bail. Stryker wants a mutant's run to stop at its
 * first failing test (that test already kills it), but its jest runner cannot
 * ask jest for that, so without this every test that reaches a mutant runs to
 * the end, a few minutes for a mutant reached by every request. Once a test or
 * hook fails while a mutant is active, the rest of that run is skipped: the
 * remaining tests of the file and, in the files after it, everything
 * including their beforeAll hooks (no databases created). Skipping changes no
 * mutant's status: it is Killed by the failure either way. Outside a mutant
 * run (plain jest, Stryker's initial run) nothing is skipped.
 */
const { TestEnvironment } = require('jest-environment-node');

/** Set by Stryker's jest runner for each mutant run, in this same process. */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** The mutant whose run saw a failure; module state, so it outlives one test file (Stryker runs jest in band). */
let failedMutant;

class BailEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) return;
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') {
      failedMutant = mutant;
    } else if (failedMutant === mutant) {
      if (event.name === 'run_start') state.rootDescribeBlock.mode = 'skip';
      else if (event.name === 'test_start') event.test.mode = 'skip';
    }
  }
}

module.exports = BailEnvironment;
