import { requestFieldParam } from '../common/lean-routes';

/** The caller the guard resolved (`request.user`); only on routes that are not public. */
export const CurrentPrincipal = requestFieldParam('user');
