import type { FormEvent, ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { withQuery } from '../app/api.ts';

/** A GET form whose values go into the page's address, leaving out the empty ones. */
export function FilterForm({
  action,
  label,
  children,
}: {
  action: string;
  label: string;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    for (const [key, value] of new FormData(event.currentTarget)) {
      if (typeof value === 'string' && value.trim()) values[key] = value.trim();
    }
    navigate(withQuery(action, values));
  };
  return (
    <search aria-label={label}>
      <form method="get" action={action} onSubmit={submit} noValidate>
        {children}
      </form>
    </search>
  );
}
