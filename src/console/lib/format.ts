/** Dates as operators read them: local time, day first, to the minute. */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
const DATE_TIME_SECONDS = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? DATE_TIME_SECONDS : DATE_TIME).format(date);
}

const COUNT = new Intl.NumberFormat('en-GB');

/** The list total: exact up to the API's cap, then "10,000+". */
export function formatTotal(total: number, capped: boolean): string {
  return `${COUNT.format(total)}${capped ? '+' : ''}`;
}

export function formatCount(value: number): string {
  return COUNT.format(value);
}

export function userLabel(user: { username: string; displayName: string | null }): string {
  return user.displayName ? `${user.displayName} (${user.username})` : user.username;
}
