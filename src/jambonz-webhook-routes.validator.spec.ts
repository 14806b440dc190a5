import type { DiscoveryService } from '@nestjs/core';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createJambonzAuthConfig } from './jambonz-auth-options.validator.js';
import { JambonzWebhookRoutesValidator } from './jambonz-webhook-routes.validator.js';
import { JambonzWebhook } from './jambonz-webhook.decorator.js';

const SECRET = 'wh_secret_routesValidatorSpec';

@JambonzWebhook({ require: 'basic' })
class BasicClassController {
  onCall() {}
  onStatus() {}
}

class BasicMethodController {
  onCall() {}
  @JambonzWebhook({ require: 'basic' })
  onStatus() {}
}

@JambonzWebhook()
class SignedController {
  onCall() {}
}

class UnmarkedController {
  onCall() {}
}

/** Runs the validator over `controllers` as Nest's discovery would list them. */
function validate(controllers: Array<object | null>, options: object = { secret: SECRET }) {
  const discovery = { getControllers: () => controllers.map((metatype) => ({ metatype })) } as unknown as DiscoveryService;
  const validator = new JambonzWebhookRoutesValidator(
    createJambonzAuthConfig(options),
    discovery,
    new MetadataScanner(),
    new Reflector(),
  );
  return () => validator.onModuleInit();
}

describe('JambonzWebhookRoutesValidator', () => {
  it('accepts routes the module has material for, and ignores unmarked controllers', () => {
    expect(validate([SignedController, UnmarkedController])).not.toThrow();
  });

  it("checks a class's options against each of its handlers, naming the first", () => {
    expect(validate([SignedController, BasicClassController])).toThrow(
      new JambonzAuthConfigError(
        "BasicClassController.onCall.require is 'basic', which needs Basic credentials: set basicAuth in JambonzAuthModule.forRoot() or on the route.",
      ),
    );
  });

  it("checks a method's own options", () => {
    expect(validate([BasicMethodController])).toThrow("BasicMethodController.onStatus.require is 'basic'");
  });

  it('accepts them all once the module has credentials', () => {
    const options = { secret: SECRET, basicAuth: { username: 'u', password: 'p' } };
    expect(validate([BasicClassController, BasicMethodController, SignedController], options)).not.toThrow();
  });

  it('skips a controller registered without a class', () => {
    expect(validate([null, SignedController])).not.toThrow();
  });
});
