import { readFileSync } from 'node:fs';

/** A call hook as jambonz sends it for a call created through the REST API (copied in from the repo's fixtures by scripts/test-consumers.mjs). */
export const payload = JSON.parse(
  readFileSync(new URL('../../fixtures/call-hook-outbound-rest.json', import.meta.url), 'utf8'),
) as {
  account_sid: string;
};

export const FORGED_SECRET = 'wh_secret_forgedForgedForged0';

export const UNAUTHORIZED = {
  statusCode: 401,
  message: 'Invalid or missing jambonz webhook authentication',
  error: 'Unauthorized',
};

export const VERBS = [{ verb: 'say', text: 'Hola María-José Núñez' }, { verb: 'hangup' }];

/** POSTs exactly `body` with `headers` over real HTTP; returns the status and the parsed JSON body, if any. */
export async function post(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
