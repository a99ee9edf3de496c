/** `node dist/migrate.js` (or `tsx src/migrate.ts`): applies the course database's pending migrations (COURSE_DATABASE_URL) and exits. */
import { createLogger, readString, runMigrations } from '@coursegraph/runtime';
import { createCourseDataSource } from './data-source';

runMigrations(createLogger('course'), () => createCourseDataSource(readString('COURSE_DATABASE_URL')));
