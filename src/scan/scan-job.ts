/** The queue job that runs (or resumes) one scan. */
export const SCAN_JOB = 'org';
export const SCAN_JOB_ATTEMPTS = 3;

export interface ScanJobData {
  scanId: string;
}
