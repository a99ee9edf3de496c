/**
 * .env.example is the one source of the configuration: the README's
 * "Configuration" table must name exactly its variables, and give as the
 * default the value .env.example sets (a variable it leaves empty, a secret,
 * or shows commented out, unset by default, has its default in words).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (file: string) => readFileSync(join(__dirname, '..', file), 'utf8');

/** Every `NAME=value` line of .env.example, and every commented-out `# NAME=value` (value null: unset by default). */
function envExample(): Map<string, string | null> {
  const variables = new Map<string, string | null>();
  for (const line of read('.env.example').split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) variables.set(match[2]!, match[1] ? null : match[3]!);
  }
  return variables;
}

/** The README's "Configuration" table: variable -> its default cell. */
function readmeTable(): Map<string, string> {
  const section = read('README.md')
    .split(/^## Configuration$/m)[1]!
    .split(/^## /m)[0]!;
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/.exec(line);
    if (cells) rows.set(cells[1]!, cells[2]!.trim());
  }
  return rows;
}

test('the README configuration table names exactly the variables of .env.example', () => {
  const documented = [...readmeTable().keys()].sort();
  const example = [...envExample().keys()].sort();
  expect(documented.length).toBeGreaterThan(40);
  expect({
    onlyInReadme: documented.filter((name) => !example.includes(name)),
    onlyInEnvExample: example.filter((name) => !documented.includes(name)),
  }).toEqual({
    onlyInReadme: [],
    onlyInEnvExample: [],
  });
});

test('the README gives each default .env.example sets', () => {
  const table = readmeTable();
  const differing = [...envExample()]
    .filter(([, value]) => value)
    .filter(([name, value]) => table.get(name)?.replaceAll('`', '') !== value)
    .map(([name, value]) => `${name}: .env.example ${value}, README ${table.get(name)}`);
  expect(differing).toEqual([]);
});
