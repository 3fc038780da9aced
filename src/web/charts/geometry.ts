// One layout for every chart of a page or a report: the same gutters, so that a time sits at the
// same x on every chart, and the same vertical room for the time labels.
export const CHART = {
  /** Room for the value labels, left of the plot. Equal on every chart, sleep position included. */
  gutterLeft: 72,
  gutterRight: 24,
  top: 8,
  /** Two lines of time labels (time, then date or zone where they change). */
  bottom: 34,
} as const;

// The short names of sleep positions on chart axes are in the catalog: positionLabel(t, code, true) (records/text.ts).
