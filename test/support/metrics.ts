import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';

/** An OpenTelemetry metric reader that keeps nothing and exports nothing: tests read metrics by collecting. */
class InMemoryMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A real OpenTelemetry SDK meter provider whose metrics a test collects on demand. */
export class TestMetrics {
  private readonly reader = new InMemoryMetricReader();
  readonly provider = new MeterProvider({ readers: [this.reader] });

  /** Every metric recorded so far (cumulative), by instrumentation scope. */
  async scopes(): Promise<ScopeMetrics[]> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics.scopeMetrics;
  }

  /** Every metric recorded so far (cumulative), by instrument name. */
  async collect(): Promise<Map<string, MetricData>> {
    const byName = new Map<string, MetricData>();
    for (const scope of await this.scopes()) {
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    }
    return byName;
  }

  /** The data points of one instrument (none when it recorded nothing). */
  async points<T = number>(name: string): Promise<Array<DataPoint<T>>> {
    return ((await this.collect()).get(name)?.dataPoints ?? []) as Array<DataPoint<T>>;
  }

  /** The counter's total over the points whose attributes include `attributes`. */
  async count(name: string, attributes: Record<string, unknown>): Promise<number> {
    return (await this.points(name))
      .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
      .reduce((sum, point) => sum + point.value, 0);
  }

  /** The histogram's number of recordings over the points whose attributes include `attributes`. */
  async recordings(name: string, attributes: Record<string, unknown>): Promise<number> {
    return (await this.points<Histogram>(name))
      .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
      .reduce((sum, point) => sum + point.value.count, 0);
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** Lets decisions queued during a request reach the listener and the metrics (they go out with one setImmediate). */
export const dispatched = () => new Promise((resolve) => setImmediate(resolve));
