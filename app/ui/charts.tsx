import { Component, lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from "react";
import type { BarChartProps, LineChartProps } from "@tremor/react";

// Tremor's charts (Recharts and d3 under them, ~450 KB of script) load only on the pages that
// draw a chart, and only after the page has painted and hydrated: the server and the first
// render in the browser give a box of the chart's size, which the chart fills once its code
// has arrived. Every chart has a server-rendered table with the same figures beside it, so
// nothing is lost while it loads, or if it never does.
//
// The component files are imported one by one: @tremor/react's index pulls in every Tremor
// component (date pickers, Headless UI, …) because the package is not marked side-effect free.

const LazyBarChart = lazy(() => import("@tremor/react/dist/components/chart-elements/BarChart/BarChart.js"));
const LazyLineChart = lazy(() => import("@tremor/react/dist/components/chart-elements/LineChart/LineChart.js"));

let hydrating = true;

/** False on the server and in the render that hydrates the page, true after (and in any later mount). */
function useHydrated() {
  const [hydrated, setHydrated] = useState(() => !hydrating);
  useEffect(() => {
    hydrating = false;
    setHydrated(true);
  }, []);
  return hydrated;
}

/** A chart's space on the page while it loads (or when it cannot): Tremor's default size, or the chart's own className. */
function ChartBox({ className }: { className?: string }) {
  return <div aria-hidden="true" className={`w-full ${className ?? "h-80"}`} />;
}

/** A chunk that fails to load leaves the empty box: the table beside the chart holds the figures. */
class ChartLoadBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function deferred<P extends { className?: string }>(Chart: ComponentType<P>) {
  function DeferredChart(props: P) {
    const hydrated = useHydrated();
    const box = <ChartBox className={props.className} />;
    if (!hydrated) return box;
    return (
      <ChartLoadBoundary fallback={box}>
        <Suspense fallback={box}>
          <Chart {...props} />
        </Suspense>
      </ChartLoadBoundary>
    );
  }
  return DeferredChart;
}

/** Tremor's BarChart, loaded after first paint (same props). */
export const BarChart = deferred<BarChartProps>(LazyBarChart);
/** Tremor's LineChart, loaded after first paint (same props). */
export const LineChart = deferred<LineChartProps>(LazyLineChart);
