export enum AccessRequestStatus {
  Pending = 'pending',
  Approved = 'approved',
  Dismissed = 'dismissed',
}

/** What an admin may set when resolving a request by hand. */
export enum AccessRequestResolution {
  Approved = 'approved',
  Dismissed = 'dismissed',
}
