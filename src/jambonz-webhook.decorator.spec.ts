import { Controller, Get, HttpCode, Post, type ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { UNSET_WEBHOOK_OPTIONS } from '../test/support/options.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { JAMBONZ_WEBHOOK_OPTIONS } from './jambonz-auth.constants.js';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { isJambonzWebhook, JambonzWebhook } from './jambonz-webhook.decorator.js';

// The decorator's own work, seen in the metadata Nest reads; the e2e suites show what Nest does with it.

const NONE = UNSET_WEBHOOK_OPTIONS;

abstract class BaseController {
  @Post('inherited')
  inherited() {}

  @Post('inherited-kept')
  @HttpCode(204)
  inheritedKept() {}
}

// Above @Controller(): the class already carries its path when the decorator looks at its members.
@JambonzWebhook({ require: 'signature' })
@Controller('marked')
class MarkedController extends BaseController {
  @Post('hook')
  @JambonzWebhook({ tolerance: 60 })
  marked() {}

  @Post('plain')
  plain() {}

  @Get('accepted')
  @HttpCode(202)
  accepted() {}

  helper() {}

  get computed(): string {
    throw new Error('a getter is not a route and must not run');
  }
}

@Controller('methods')
class PlainController {
  @Post('hook')
  @JambonzWebhook({ credentials: 'status' })
  marked() {}

  @Post('kept')
  @JambonzWebhook()
  @HttpCode(204)
  keptBelow() {}

  @Post('kept-above')
  @HttpCode(204)
  @JambonzWebhook()
  keptAbove() {}

  @Post('plain')
  plain() {}
}

const contextFor = (controller: object, handler: object) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('@JambonzWebhook()', () => {
  it('reads the metadata keys Nest itself uses', () => {
    expect([HTTP_CODE_METADATA, PATH_METADATA]).toEqual(['__httpCode__', 'path']);
  });

  describe('on a class', () => {
    it('stores the validated options and binds the guard', () => {
      const options = Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, MarkedController);
      expect(options).toStrictEqual({ ...NONE, require: 'signature' });
      expect(Object.isFrozen(options)).toBe(true);
      expect(Reflect.getMetadata(GUARDS_METADATA, MarkedController)).toEqual([JambonzAuthGuard]);
    });

    it('makes every route of the class answer 200, inherited ones included', () => {
      for (const handler of [
        MarkedController.prototype.marked,
        MarkedController.prototype.plain,
        BaseController.prototype.inherited,
      ]) {
        expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler)).toBe(200);
      }
    });

    it('keeps a status a route chose with @HttpCode()', () => {
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, MarkedController.prototype.accepted)).toBe(202);
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, BaseController.prototype.inheritedKept)).toBe(204);
    });

    it('leaves alone what is not a route: helpers, getters, the constructor', () => {
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, MarkedController.prototype.helper)).toBeUndefined();
      expect(Reflect.getMetadata(PATH_METADATA, MarkedController)).toBe('marked');
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, MarkedController)).toBeUndefined();
    });

    it('accepts a class without routes', () => {
      class EmptyController {}
      expect(() => JambonzWebhook()(EmptyController)).not.toThrow();
      expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, EmptyController)).toStrictEqual(NONE);
    });
  });

  describe('on a method', () => {
    it('stores the validated options and binds the guard on that method only', () => {
      const handler = PlainController.prototype.marked;
      expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, handler)).toStrictEqual({ ...NONE, credentials: 'status' });
      expect(Reflect.getMetadata(GUARDS_METADATA, handler)).toEqual([JambonzAuthGuard]);
      expect(Reflect.getMetadata(GUARDS_METADATA, PlainController.prototype.plain)).toBeUndefined();
      expect(Reflect.getMetadata(GUARDS_METADATA, PlainController)).toBeUndefined();
      expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, PlainController)).toBeUndefined();
    });

    it('makes the route answer 200, and no other', () => {
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, PlainController.prototype.marked)).toBe(200);
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, PlainController.prototype.plain)).toBeUndefined();
    });

    it('keeps a status the route chose with @HttpCode(), above or below it', () => {
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, PlainController.prototype.keptBelow)).toBe(204);
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, PlainController.prototype.keptAbove)).toBe(204);
    });

    it('stores the options of the method beside those of its class', () => {
      expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, MarkedController.prototype.marked)).toStrictEqual({
        ...NONE,
        tolerance: 60,
      });
    });
  });

  describe('refuses bad options when applied', () => {
    it('naming the class', () => {
      expect(() => JambonzWebhook({ tolerance: 0 })(class CallController {})).toThrow(
        new JambonzAuthConfigError(
          '@JambonzWebhook() on CallController.tolerance must be a positive number of seconds, at most 3600 (got 0): ' +
            'jambonz retries a delivery for about 75 s; the default is 300.',
        ),
      );
    });

    it('naming the class and the method, or the symbol', () => {
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
        new JambonzAuthConfigError(
          '@JambonzWebhook() on StatusController.Symbol(onSymbol).replay must be true or false (got 1).',
        ),
      );
    });

    it('refusing credentials in a decorator, saying where they go', () => {
      expect(() => JambonzWebhook({ basicAuth: { username: 'a', password: 'b' } } as never)(class StatusController {})).toThrow(
        "@JambonzWebhook() on StatusController: basicAuth is not a route option. Decorator arguments are evaluated when the file is imported, before configuration loads, so credentials belong in the module: add them to namedCredentials in JambonzAuthModule's options (from ConfigService) and pick them here with { credentials: 'name' }.",
      );
    });

    it('before it changes anything', () => {
      class RefusedController {
        @Post('hook')
        hook() {}
      }
      expect(() => JambonzWebhook({ tolerance: -1 })(RefusedController)).toThrow(JambonzAuthConfigError);
      expect(Reflect.getMetadata(JAMBONZ_WEBHOOK_OPTIONS, RefusedController)).toBeUndefined();
      expect(Reflect.getMetadata(GUARDS_METADATA, RefusedController)).toBeUndefined();
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, RefusedController.prototype.hook)).toBeUndefined();
    });
  });
});

describe('isJambonzWebhook', () => {
  const reflector = new Reflector();
  it.each<[string, object, object, boolean]>([
    ['true for a marked method of a marked class', MarkedController, MarkedController.prototype.marked, true],
    ['true for an unmarked method of a marked class', MarkedController, MarkedController.prototype.plain, true],
    ['true for an inherited method of a marked class', MarkedController, BaseController.prototype.inherited, true],
    ['true for a marked method of an unmarked class', PlainController, PlainController.prototype.marked, true],
    ['false for an unmarked method of an unmarked class', PlainController, PlainController.prototype.plain, false],
  ])('%s', (_case, controller, handler, marked) => {
    expect(isJambonzWebhook(reflector, contextFor(controller, handler))).toBe(marked);
  });
});
