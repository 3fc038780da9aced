import { usePage } from './page-context.js';

/** "Page 2 of 7" with previous/next links that keep the other query parameters. */
export function Pagination(props: { page: number; pageCount: number; href: (page: number) => string; label: string }) {
  const { t } = usePage();
  if (props.pageCount <= 1) return null;
  return (
    <nav class="pagination" aria-label={props.label}>
      {props.page > 1 ? <a href={props.href(props.page - 1)} rel="prev">{t('patients.pagination.previous')}</a> : <span aria-hidden="true" />}
      <span>{t('patients.pagination.pageOf', { page: props.page, count: props.pageCount })}</span>
      {props.page < props.pageCount ? <a href={props.href(props.page + 1)} rel="next">{t('patients.pagination.next')}</a> : <span aria-hidden="true" />}
    </nav>
  );
}

/** A URL with query parameters, leaving out empty ones. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
