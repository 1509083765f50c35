// Bulk actions on dead letters: retry all matching (the dry-run count first, then confirm) and
// clear (superadmins only; the API refuses anyone else; a dry-run count and a typed confirmation).
import { del, post } from '../app/api.js';
import { replace } from '../app/dom.js';
import { failure } from '../app/states.js';
import { confirmIn } from './confirm.js';

export const bulkActions = (deps) => {
  const bulkRetry = async () => {
    const filters = deps.filters();
    try {
      const dry = await post('/admin/dlq/tasks/retry/', { ...filters, dry_run: true });
      confirmIn(
        deps.notice,
        `${dry.matching_count} dead letters match these filters. Retry them all?`,
        {
          label: `Retry ${dry.matching_count}`,
          action: () =>
            deps.act(
              (r) =>
                `Retried ${r.matching_count}: ${(r.results ?? []).map((x) => x.status).join(', ') || 'nothing to do'}.`,
              () => post('/admin/dlq/tasks/retry/', { ...filters, dry_run: false }),
            ),
        },
      );
    } catch (error) {
      replace(deps.notice, failure(error));
    }
  };

  const clear = async () => {
    const { status, category, task_name } = deps.filters();
    const filters = Object.fromEntries(
      Object.entries({ status, category, task_name }).filter(([, v]) => v !== undefined),
    );
    try {
      const dry = await del('/admin/dlq/clear/', { ...filters, dry_run: true });
      confirmIn(deps.notice, `Clearing deletes ${dry.matching_count} dead letters for good.`, {
        label: `Clear ${dry.matching_count}`,
        danger: true,
        typed: 'clear',
        action: () =>
          deps.act(
            (r) => `Cleared ${r.deleted_count} dead letters.`,
            () => del('/admin/dlq/clear/', { ...filters, confirm: true }),
          ),
      });
    } catch (error) {
      replace(deps.notice, failure(error));
    }
  };

  return { bulkRetry, clear };
};
