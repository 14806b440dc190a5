import { All, Body, Controller, Get, HttpCode, Logger, Options, Param, Post } from '@nestjs/common';
import { JambonzAuth, JambonzWebhook, logSafe, type JambonzAuthContext } from 'nestjs-jambonz-auth';
import { APP_ENV_VARS, gatherResultVerbs, greetingVerbs, type Verb, type WebhookPayload } from './call-flow.js';

export { APP_ENV_VARS, type Verb } from './call-flow.js';

/** Paths of the sample's routes, relative to the server root. */
export const ROUTES = Object.freeze({
  call: 'call',
  callStatus: 'call-status',
  action: 'action/:hook',
  ws: 'ws',
  audio: 'audio',
});

/** Every route, for the startup log: method, path, what it does. */
export const ROUTE_TABLE: ReadonlyArray<readonly [method: string, path: string, what: string]> = [
  ['POST', ROUTES.call, 'call hook: greets the caller, then gathers speech or digits'],
  ['POST', ROUTES.callStatus, "call status hook: logs the status, answers 204; takes the status hook's credentials"],
  ['ANY', ROUTES.action, 'action hooks, by POST or GET: /action/gather says what it heard and hangs up'],
  ['GET', ROUTES.call, 'call hook configured as GET: authenticated by Basic credentials alone'],
  ['OPTIONS', ROUTES.call, "jambonz's discovery of the app's environment variables: no authentication"],
  ['WS', ROUTES.ws, 'WebSocket API (ws.jambonz.org): session:new and reconnect acked with verbs; Basic credentials'],
  ['OPTIONS', ROUTES.ws, 'discovery for the WebSocket app (jambonz rewrites ws:// to http://): no authentication'],
  ['WS', ROUTES.audio, 'audio stream of a listen or stream verb: logs the call and counts the audio; Basic credentials'],
];

/**
 * The sample's jambonz webhooks. `@JambonzWebhook()` on the class protects every route: only
 * requests that prove they come from jambonz reach a handler, and a POST answers 200 rather than
 * Nest's 201, which jambonz counts as a failure.
 */
@Controller()
@JambonzWebhook()
export class CallController {
  private readonly logger = new Logger(CallController.name);

  /** Call hook: a new call. Answers the verbs that run it. */
  @Post(ROUTES.call)
  onCall(@Body() call: WebhookPayload | null, @JambonzAuth() auth: JambonzAuthContext): Verb[] {
    // What authenticated the request, never the headers themselves: they are credentials.
    this.logger.log(`Call hook for call ${logSafe(call?.call_sid)} authenticated by ${auth.verifiedBy}`);
    return greetingVerbs(call);
  }

  /** Call hook configured with method GET: no body arrives, so only Basic can authenticate it. */
  @Get(ROUTES.call)
  onGetCall(@JambonzAuth() auth: JambonzAuthContext): Verb[] {
    this.logger.log(`GET call hook authenticated by ${auth.verifiedBy}`);
    return [{ verb: 'say', text: `${APP_ENV_VARS.GREETING.default}.` }, { verb: 'hangup' }];
  }

  /**
   * jambonz's unsigned environment-variable discovery; the module lets OPTIONS through. For an
   * application whose call hook is `ws://host/ws`, jambonz sends it to `http://host/ws`.
   */
  @Options([ROUTES.call, ROUTES.ws])
  onDiscovery(): typeof APP_ENV_VARS {
    return APP_ENV_VARS;
  }

  /**
   * Call status hook: jambonz only needs a success status; 204 says there is nothing to say.
   * jambonz sends the call status hook's own Basic credentials: the set named `status`.
   */
  @Post(ROUTES.callStatus)
  @HttpCode(204)
  @JambonzWebhook({ credentials: 'status' })
  onCallStatus(@Body() status: WebhookPayload | null): void {
    this.logger.log(`Call ${logSafe(status?.call_sid)}: ${logSafe(status?.call_status)}`);
  }

  /**
   * Action hooks (`actionHook` of gather, dial...): the verbs that continue the call. Declared
   * with `@All()`, since a hook can be configured as POST or GET: a GET is authenticated by its
   * Basic credentials alone, and an OPTIONS here is authenticated like any request (only a route
   * declared with `@Options()` answers jambonz's unauthenticated discovery).
   */
  @All(ROUTES.action)
  onAction(@Param('hook') hook: string, @Body() result: WebhookPayload | null): Verb[] {
    if (hook !== 'gather') {
      // No new verbs: jambonz carries on with what is left of the current ones.
      return [];
    }
    return gatherResultVerbs(result);
  }
}
