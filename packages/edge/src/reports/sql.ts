// SQL fragments every report shares, so "a visitor" and "an order's revenue" mean one thing everywhere.

/**
 * A visitor: the browser's anonymous id; an event sent with only a user id (a server-side source) counts
 * under the user id. A person on two browsers is two visitors, as in Segment-style web analytics: the
 * event log keeps ids as sent, and profile merges are not rewritten into it.
 */
export const VISITOR = 'coalesce(anonymous_id, user_id)';

/** Revenue of an `Order Completed`: properties.revenue, else properties.total (Segment's e-commerce spec). */
export const REVENUE = `coalesce(json_extract(body, '$.properties.revenue'), json_extract(body, '$.properties.total'), 0)`;

/** Events the Worker writes itself (segment changes): they are not something a visitor did. */
export const SYSTEM_EVENTS = `('Segment Entered', 'Segment Exited')`;

export const ORDER = 'Order Completed';
