import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../fixtures/jambonz-webhooks/', import.meta.url);

/** One realistic jambonz webhook payload, with the body jambonz would send for it. */
export interface Fixture {
  readonly name: string;
  readonly payload: Record<string, unknown>;
  /** `JSON.stringify(payload)`: compact, raw UTF-8, what jambonz posts. */
  readonly body: string;
}

/** The signature vectors of vectors.json: body hash and header at a fixed secret and time. */
export interface Vectors {
  readonly secret: string;
  readonly timestamp: number;
  readonly vectors: ReadonlyArray<{ file: string; bodyBytes: number; bodySha256: string; header: string }>;
}

export const vectors: Vectors = JSON.parse(readFileSync(new URL('vectors.json', DIR), 'utf8'));

export const fixtures: readonly Fixture[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json') && file !== 'vectors.json')
  .sort()
  .map((file) => {
    const payload = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, unknown>;
    return { name: file.replace(/\.json$/, ''), payload, body: JSON.stringify(payload) };
  });

export function fixture(name: string): Fixture {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}
