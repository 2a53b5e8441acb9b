import { useState } from 'react';
import { formatTimeOnDate } from '../../app/format.ts';
import type { UserWithLink } from './queries.ts';

function absolute(url: string): string {
  return url.startsWith('/') ? `${window.location.origin}${url}` : url;
}

/** The one-time link an administrator passes on, so the person can set their own password. */
export function SetPasswordLink({ result }: { result: UserWithLink }) {
  const url = absolute(result.setPasswordUrl);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      const input = document.getElementById('set-password-url');
      if (input instanceof HTMLInputElement) input.select();
      setCopied('failed');
    }
  };

  return (
    <>
      <h2 className="nhsuk-heading-m">Give {result.user.name} this link</h2>
      <p>
        They use it to set their password. Send it in a way that only they will see, such as a secure NHS
        email to {result.user.email}.
      </p>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="set-password-url">
          Link to set a password
        </label>
        <div className="nhsuk-hint" id="set-password-url-hint">
          The link works once and expires at {formatTimeOnDate(result.expiresAt)}
        </div>
        <input
          className="nhsuk-input app-copy-link"
          id="set-password-url"
          type="text"
          readOnly
          value={url}
          aria-describedby="set-password-url-hint"
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={copy}>
        Copy link
      </button>
      <p aria-live="polite">
        {copied === 'yes' && 'The link has been copied.'}
        {copied === 'failed' &&
          'The link could not be copied automatically. It is selected: copy it yourself.'}
      </p>
    </>
  );
}
