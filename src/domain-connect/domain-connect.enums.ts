export enum ProxyRecordStatus {
  /** Created; the customer's CNAME is not in place yet. */
  Waiting = 'waiting',
  Valid = 'valid',
  Erroring = 'erroring',
}

export enum DomainConnectContext {
  Email = 'email',
  Proxy = 'proxy',
}

/** Whether the DNS provider hosts our template: 2xx yes, 404 no, anything else unknown. */
export enum TemplateSupport {
  Yes = 'yes',
  No = 'no',
  Unknown = 'unknown',
}
