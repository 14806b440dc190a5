import { Body, Controller, Get, HttpCode, Options, Param, Post } from '@nestjs/common';
import { JambonzAuth, JambonzWebhook, type JambonzAuthContext } from '../../src/index.js';

/** Routes decorated one by one, as most apps do. */
@Controller()
export class WebhookController {
  @Post('call')
  @JambonzWebhook()
  onCall(@Body() body: Record<string, unknown> | null, @JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'say', text: 'hello' }, { verb: 'echo', body, auth }];
  }

  @Get('call')
  @JambonzWebhook()
  onGetCall(@JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'say', text: 'hello by GET' }, { verb: 'echo', auth }];
  }

  @Options('call')
  @JambonzWebhook()
  onOptions() {
    return { GREETING: { type: 'string', description: 'what to say', required: true } };
  }

  @Post('call-status')
  @HttpCode(204)
  @JambonzWebhook()
  onStatus(): void {}

  @Post('action/:hook')
  @JambonzWebhook()
  onAction(@Param('hook') hook: string, @Body() body: unknown) {
    return hook === 'empty' ? [] : [{ verb: 'echo', hook, body }];
  }

  @Post('unprotected')
  unprotected() {
    return { ok: true };
  }
}

/** Credentials of one route only, as jambonz's call status hook has its own. */
export const ROUTE_CREDENTIALS = { username: 'route-user', password: 'route:pass' };

/** Every route protected by one class decorator. */
@Controller('class')
@JambonzWebhook()
export class ClassWebhookController {
  @Post('hook')
  onHook(@Body() body: unknown, @JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', body, auth }];
  }

  @Post('basic')
  @JambonzWebhook({ require: 'basic', basicAuth: ROUTE_CREDENTIALS })
  onBasic(@JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', auth }];
  }
}
