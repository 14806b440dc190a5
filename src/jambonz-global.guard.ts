import { Injectable, type ExecutionContext } from '@nestjs/common';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';

/**
 * {@link JambonzAuthGuard} for registration as a global guard (`APP_GUARD`): it authenticates the
 * requests of routes marked with `@JambonzWebhook()` and lets every other route through, so that
 * a health check or an admin API is not blocked.
 *
 * ```ts
 * providers: [{ provide: APP_GUARD, useClass: JambonzGlobalGuard }]
 * ```
 *
 * Register `JambonzAuthModule` with `isGlobal: true` (or provide `APP_GUARD` in the module that
 * imports it) so the guard can reach its configuration; otherwise the application stops at
 * bootstrap with a `JambonzAuthConfigError` that says so. A marked route is authenticated once
 * even though the decorator binds the guard too. Use `JambonzAuthGuard` itself where unmarked
 * routes must be refused.
 */
@Injectable()
export class JambonzGlobalGuard extends JambonzAuthGuard {
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.policies.find(context.getClass(), context.getHandler()) ? super.canActivate(context) : true;
  }
}
