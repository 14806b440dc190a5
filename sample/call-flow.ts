/*
 * What the sample says to a caller, the same over HTTP webhooks (call.controller.ts) and over
 * the WebSocket API (call.gateway.ts): jambonz asks the same questions both ways.
 */

/** A verb of jambonz's application language, e.g. `{ verb: 'say', text: 'Hello' }`. */
export type Verb = { readonly verb: string } & Readonly<Record<string, unknown>>;

/** The few webhook fields the sample reads (snake_case, as on the wire); jambonz sends many more. */
export interface WebhookPayload {
  readonly from?: string;
  readonly call_sid?: string;
  readonly call_status?: string;
  readonly env_vars?: { readonly GREETING?: string };
  readonly digits?: string;
  readonly speech?: { readonly alternatives?: ReadonlyArray<{ readonly transcript?: string }> };
}

/**
 * The application's environment variables, as jambonz discovers them: it sends an unsigned
 * OPTIONS to the call hook URL (portal, application save) and offers these for editing; their
 * values then arrive in every call hook under `env_vars`.
 */
export const APP_ENV_VARS = Object.freeze({
  GREETING: { type: 'string', description: 'Greeting played to callers', default: 'Welcome to the sample app' },
});

/** The action hook of the sample's gather verb: `/action/gather` over HTTP, a `verb:hook` of that hook over WebSocket. */
export const GATHER_HOOK = '/action/gather';

/** The gather verb that asks the caller for speech or digits. */
export function gatherVerb(): Verb {
  return {
    verb: 'gather',
    actionHook: GATHER_HOOK,
    input: ['speech', 'digits'],
    timeout: 10,
    say: { text: 'Say something, or press a few keys and then the pound key.' },
  };
}

/** The answer to a new call: greets the caller by number (with the GREETING variable), then gathers. */
export function greetingVerbs(call: WebhookPayload | null | undefined): Verb[] {
  const greeting = call?.env_vars?.GREETING ?? APP_ENV_VARS.GREETING.default;
  return [{ verb: 'say', text: call?.from ? `${greeting}. You are calling from ${call.from}.` : `${greeting}.` }, gatherVerb()];
}

/** The answer to the gather's action hook: says what it heard, and hangs up. */
export function gatherResultVerbs(result: WebhookPayload | null | undefined): Verb[] {
  const transcript = result?.speech?.alternatives?.[0]?.transcript;
  const text = transcript
    ? `You said: ${transcript}.`
    : result?.digits
      ? `You pressed ${result.digits.split('').join(' ')}.`
      : 'Sorry, I did not catch that.';
  return [{ verb: 'say', text }, { verb: 'hangup' }];
}
