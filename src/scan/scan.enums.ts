export enum ScanStatus {
  Idle = 'idle',
  Queued = 'queued',
  Scanning = 'scanning',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

/** Statuses of a scan that still holds its organization's one running slot. */
export const RUNNING_STATUSES = [ScanStatus.Queued, ScanStatus.Scanning] as const;

export enum FindingSeverity {
  Info = 'info',
  Low = 'low',
  Medium = 'medium',
  High = 'high',
  Critical = 'critical',
}

/** Whether everything about a repository could be read. */
export enum RepoResultStatus {
  Ok = 'ok',
  Partial = 'partial',
  Error = 'error',
}
