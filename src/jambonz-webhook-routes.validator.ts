import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JAMBONZ_AUTH_CONFIG } from './jambonz-auth.constants.js';
import type { JambonzAuthConfig } from './jambonz-auth-options.validator.js';
import { findRoutePolicy } from './jambonz-route-policy.js';

/**
 * Checks every `@JambonzWebhook()` route of the application against the module's configuration
 * while the application boots, so that a route asking for a check the module has no material
 * for (`require: 'basic'` without any `basicAuth`, say) stops the application instead of
 * refusing every request later.
 */
@Injectable()
export class JambonzWebhookRoutesValidator implements OnModuleInit {
  constructor(
    @Inject(JAMBONZ_AUTH_CONFIG) private readonly config: JambonzAuthConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** @throws JambonzAuthConfigError naming the first route whose policy cannot be met. */
  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (typeof controller !== 'function') continue;
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
        findRoutePolicy(this.config, this.reflector, controller, handler);
      }
    }
  }
}
