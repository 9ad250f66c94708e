import { osloClock } from "./oslo-time";

/** Oslo's calendar date of an instant, YYYY-MM-DD. */
export function osloDate(date: Date): string {
  const { year, month, day } = osloClock(date);
  return `${year}-${month}-${day}`;
}
