// Stretches of time drawn behind every chart: nights, flags and tagged events. Times are epoch ms;
// the label is what a clinician reads next to the band. (The flags and tags of a recording:
// record-bands.ts.)

export interface ChartBand {
  kind: 'night' | 'flag' | 'tag';
  from: number;
  to: number;
  label: string;
  severity?: 'high' | 'medium' | 'low';
}
