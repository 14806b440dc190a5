import type { ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { JAMBONZ_WEBHOOK_OPTIONS } from './jambonz-auth.constants.js';
import { isJambonzWebhook, JambonzWebhook } from './jambonz-webhook.decorator.js';
import { JambonzWebhookInterceptor } from './jambonz-webhook.interceptor.js';

// The decorator's own work, seen in the metadata Nest reads; the e2e suites show what Nest does with it.

@JambonzWebhook({ require: 'signature' })
class MarkedController {
  @JambonzWebhook({ tolerance: 60 })
  marked() {}

  inherited() {}
}

class PlainController {
  @JambonzWebhook()
  marked() {}

  plain() {}
}

const contextFor = (controller: object, handler: object) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('@JambonzWebhook()', () => {
  it('stores the validated options, binds the guard and the interceptor, on a class', () => {
    expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, MarkedController)).toEqual({ require: 'signature' });
    expect(Reflect.getMetadata(GUARDS_METADATA, MarkedController)).toEqual([JambonzAuthGuard]);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, MarkedController)).toEqual([JambonzWebhookInterceptor]);
  });

  it('and on a method', () => {
    const handler = PlainController.prototype.marked;
    expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, handler)).toEqual({});
    expect(Reflect.getMetadata(GUARDS_METADATA, handler)).toEqual([JambonzAuthGuard]);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, handler)).toEqual([JambonzWebhookInterceptor]);
    expect(Reflect.getMetadata(GUARDS_METADATA, PlainController.prototype.plain)).toBeUndefined();
  });

  it('refuses bad options when applied, naming the class', () => {
    expect(() => JambonzWebhook({ tolerance: 0 })(class CallController {})).toThrow(
      new JambonzAuthConfigError('@JambonzWebhook() on CallController.tolerance must be a positive number of seconds (got 0).'),
    );
  });

  it('refuses bad options when applied, naming the class and the method', () => {
    class StatusController {
      onStatus() {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(StatusController.prototype, 'onStatus')!;
    expect(() => JambonzWebhook({ require: 'any' } as never)(StatusController.prototype, 'onStatus', descriptor)).toThrow(
      new JambonzAuthConfigError(
        "@JambonzWebhook() on StatusController.onStatus.require must be one of 'signature', 'basic', 'either', 'both' (got \"any\").",
      ),
    );
    const symbol = Symbol('onSymbol');
    expect(() => JambonzWebhook({ replay: 1 } as never)(StatusController.prototype, symbol, descriptor)).toThrow(
      '@JambonzWebhook() on StatusController.Symbol(onSymbol).replay must be true or false (got 1).',
    );
  });
});

describe('isJambonzWebhook', () => {
  const reflector = new Reflector();
  it.each<[string, object, object, boolean]>([
    ['true for a marked method of a marked class', MarkedController, MarkedController.prototype.marked, true],
    ['true for an unmarked method of a marked class', MarkedController, MarkedController.prototype.inherited, true],
    ['true for a marked method of an unmarked class', PlainController, PlainController.prototype.marked, true],
    ['false for an unmarked method of an unmarked class', PlainController, PlainController.prototype.plain, false],
  ])('%s', (_case, controller, handler, marked) => {
    expect(isJambonzWebhook(reflector, contextFor(controller, handler))).toBe(marked);
  });
});
