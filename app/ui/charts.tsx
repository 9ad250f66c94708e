import { Component, forwardRef, lazy, Suspense, useEffect, useRef, useState, type ComponentType, type ReactNode, type RefObject } from "react";
import type { BarChartProps, LineChartProps } from "@tremor/react";

// Tremor's charts (Recharts and d3 under them, ~450 KB of script) load only on the pages that
// draw a chart, and only after the page has painted and hydrated, when the chart is near the
// viewport: the server and the first render in the browser give a box of the chart's size,
// which the chart fills once its code has arrived. Every chart has a server-rendered table with
// the same figures beside it, so nothing is lost while it loads, or if it never does.
//
// The component files are imported one by one: @tremor/react's index pulls in every Tremor
// component (date pickers, Headless UI, …) because the package is not marked side-effect free.

const LazyBarChart = lazy(() => import("@tremor/react/dist/components/chart-elements/BarChart/BarChart.js"));
const LazyLineChart = lazy(() => import("@tremor/react/dist/components/chart-elements/LineChart/LineChart.js"));

/**
 * False on the server and in the first render in the browser (the one that hydrates the page);
 * then true once the chart's box comes within a screen's height of the viewport: a chart far
 * down a phone's page costs nothing until the reader scrolls towards it.
 */
function useShown(box: RefObject<HTMLDivElement | null>) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element || typeof IntersectionObserver === "undefined") {
      setShown(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setShown(true), { rootMargin: "100% 0px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [box]);
  return shown;
}

/** A chart's space on the page while it loads (or when it cannot): Tremor's default size, or the chart's own className. */
const ChartBox = forwardRef<HTMLDivElement, { className?: string }>(function ChartBox({ className }, ref) {
  return <div ref={ref} aria-hidden="true" className={`w-full ${className ?? "h-80"}`} />;
});

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
    const ref = useRef<HTMLDivElement>(null);
    const shown = useShown(ref);
    if (!shown) return <ChartBox ref={ref} className={props.className} />;
    const box = <ChartBox className={props.className} />;
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
