/** High, low and close columns of equal length (a Frame satisfies it). */
export interface HighLowClose {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/** High, low, close and volume columns of equal length (a Frame satisfies it). */
export interface HighLowCloseVolume extends HighLowClose {
  readonly volume: Float64Array;
}

/** Close and volume columns of equal length (a Frame satisfies it). */
export interface CloseVolume {
  readonly close: Float64Array;
  readonly volume: Float64Array;
}
