import type { JambonzCallState } from './common.js';

/**
 * Body of the `toolHook` of an `llm` verb: the model wants the application to run a function
 * (tool). The answer is the tool's result as a JSON object in the vendor's own message form,
 * which jambonz passes to the model (for OpenAI a `conversation.item.create` event; an object
 * without `type` is taken for Ultravox's `client_tool_result` and completed as such).
 *
 * This is the form every vendor but Google uses (OpenAI and Azure OpenAI, Deepgram voice agent,
 * Ultravox, ElevenLabs); for Google see {@link LlmGoogleToolCallPayload}.
 *
 * Over HTTP the body carries nothing else: no `call_sid`, no `account_sid`, no `type` field.
 * An application serving several calls must tell them apart another way (for instance a
 * per-call `toolHook` URL).
 *
 * Source: feature server `lib/tasks/llm/index.js` (`sendToolHook`) and
 * `lib/tasks/llm/llms/*_s2s.js`.
 */
export interface LlmToolCallPayload {
  /** The vendor's id of this function call; jambonz sends the result back under it. */
  tool_call_id: string;
  /** Name of the function, as declared to the model. */
  name: string;
  /**
   * The function's arguments, parsed from the model's JSON. Keys exactly as the model produced
   * them (jambonz does not snake_case inside `args`).
   */
  args: Record<string, unknown>;
}

/**
 * Body of the `toolHook` of an `llm` verb with vendor `google` (Gemini live): one request
 * for all the function calls of a model turn. `tool_call_id` is always the constant
 * `'function_call_id'`; each call has its own `id`. The answer goes back to Google as is, so
 * it must be in Google's form (a `toolResponse` with `functionResponses`).
 *
 * Source: feature server `lib/tasks/llm/llms/google_s2s.js`.
 */
export interface LlmGoogleToolCallPayload {
  /** Always `'function_call_id'`. */
  tool_call_id: string;
  /** Always `'toolCall'`: the name of the Gemini message that carried the calls. */
  type: 'toolCall';
  /** Google's `functionCalls`, keys snake_cased except inside `args`. */
  function_calls: LlmGoogleFunctionCall[];
}

/** One function call requested by Gemini. */
export interface LlmGoogleFunctionCall {
  /** Google's id of the call. */
  id: string;
  /** Name of the function. */
  name: string;
  /** The function's arguments, keys unchanged. */
  args: Record<string, unknown>;
}

/**
 * Body of the `eventHook` of an `llm` verb: one event of the vendor's realtime API, as the
 * vendor sent it (for OpenAI, `response.done`, `conversation.item.created`...), filtered by
 * the verb's `events` list. Keys are snake_cased at every depth (a camelCase vendor's
 * `serverContent` arrives as `server_content`). Nothing identifies the call.
 *
 * Source: feature server `lib/tasks/llm/index.js` (`sendEventHook`).
 */
export interface LlmEventPayload {
  /** The vendor's event type, for the vendors whose events have one (OpenAI, Ultravox, ElevenLabs, Deepgram). */
  type?: string;
  /** The rest of the vendor's event. */
  [key: string]: unknown;
}

/**
 * Why an `llm` verb ended (feature server `lib/tasks/llm/llms/*_s2s.js`). Ultravox can also
 * report `connection failure - <error>`, hence the open `string`.
 */
export type LlmCompletionReason =
  | 'normal conversation end'
  | 'connection failure'
  | 'disconnect from remote end'
  | 'server failure'
  | 'server error'
  | 'client error calling function'
  | 'client error calling mcp function'
  | (string & {});

/**
 * Body of the `actionHook` of an `llm` verb, sent when the conversation with the model ends.
 * The answer is the verb array to run next.
 *
 * Source: feature server `lib/tasks/llm/llms/*_s2s.js` (`this.results`), `lib/tasks/task.js`
 * (`performAction`); jambonz schema `callbacks/llm.schema.json`.
 */
export interface LlmActionPayload extends JambonzCallState {
  /**
   * Why the conversation ended (see {@link LlmCompletionReason}); `normal conversation end`
   * unless the vendor connection or a tool call failed. Always sent.
   */
  completion_reason: LlmCompletionReason;
  /** What went wrong, as the vendor or jambonz reported it, when the reason is a failure. */
  error?: unknown;
  /** The `id` given to the llm verb, when it had one. */
  verb_id?: string;
}
