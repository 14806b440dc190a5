import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import type { JambonzMeterProvider } from './observability-options.interface.js';

/** The part of `@opentelemetry/api` the module uses. */
interface OpenTelemetryApi {
  readonly metrics: { getMeterProvider(): JambonzMeterProvider };
}

/** The package the `metrics: true` option needs, an optional peer dependency. */
export const OPENTELEMETRY_API_PACKAGE = '@opentelemetry/api';

/**
 * OpenTelemetry's global meter provider, for `metrics: true`; `undefined` for any other value of
 * the option, without loading anything: an app that does not ask for the global provider never
 * loads `@opentelemetry/api`. Runs while the app boots (a provider of `JambonzAuthModule`),
 * before the options are validated, so it only looks at `metrics` being `true`.
 *
 * @param options the module's options, as given.
 * @param importApi loads the package (replaced in tests).
 * @throws JambonzAuthConfigError naming the package to install when it cannot be found.
 */
export async function loadGlobalMeterProvider(
  options: unknown,
  importApi: () => Promise<OpenTelemetryApi> = () => import('@opentelemetry/api'),
): Promise<JambonzMeterProvider | undefined> {
  if ((options as { metrics?: unknown } | null | undefined)?.metrics !== true) return undefined;
  let api: OpenTelemetryApi;
  try {
    api = await importApi();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new JambonzAuthConfigError(
      `options.metrics is true, which records through OpenTelemetry's global MeterProvider, but the package ` +
        `${OPENTELEMETRY_API_PACKAGE} is not installed: npm install ${OPENTELEMETRY_API_PACKAGE} (and an OpenTelemetry ` +
        'SDK to export the metrics), or pass your own provider: metrics: { meterProvider }.',
    );
  }
  return api.metrics.getMeterProvider();
}
