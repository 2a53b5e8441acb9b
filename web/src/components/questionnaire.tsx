/*
 * One component renders every outcome instrument from its definition: the instructions, then each item as a
 * group of NHS radios. Used by link workers recording a measure and by the person's own self-completion page,
 * so it depends on nothing but React (the public page stays small).
 */

export interface QuestionnaireItem {
  linkId: string;
  text: string;
  options: { value: number; label: string }[];
}

export interface QuestionnaireDefinition {
  code: string;
  title: string;
  instructions?: string | null | undefined;
  licenceNotice?: string | null | undefined;
  items: QuestionnaireItem[];
}

export type Answers = Record<string, number>;

interface QuestionnaireProps {
  questionnaire: QuestionnaireDefinition;
  answers: Answers;
  onAnswer: (linkId: string, value: number) => void;
  /** Messages by item linkId. */
  errors?: Record<string, string>;
  /** Element ids start with this, so two questionnaires can share a page. */
  idPrefix?: string;
  /** Show the instrument's title as a heading (off where the page heading already names it). */
  showTitle?: boolean;
}

export const itemInputId = (prefix: string, linkId: string, index = 0) =>
  `${prefix}${linkId}${index === 0 ? '' : `-${index + 1}`}`;

export function Questionnaire({
  questionnaire,
  answers,
  onAnswer,
  errors = {},
  idPrefix = '',
  showTitle = true,
}: QuestionnaireProps) {
  const prefix = `${idPrefix}${questionnaire.code}-`;
  const count = questionnaire.items.length;
  return (
    <div className="app-questionnaire">
      {showTitle ? <h2 className="nhsuk-heading-m">{questionnaire.title}</h2> : null}
      {questionnaire.instructions ? <p className="nhsuk-body">{questionnaire.instructions}</p> : null}
      {questionnaire.items.map((item, n) => {
        const error = errors[item.linkId];
        const hintId = `${prefix}${item.linkId}-hint`;
        const errorId = `${prefix}${item.linkId}-error`;
        // A 0–10 scale reads as a scale: its numbers side by side; word answers stay one below another.
        const scale = item.options.length > 5 && item.options.every((o) => /^\d/.test(o.label));
        return (
          <div key={item.linkId} className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset
              className="nhsuk-fieldset"
              aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
            >
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{item.text}</legend>
              <div className="nhsuk-hint" id={hintId}>
                Question {n + 1} of {count}
                {scale ? ` — ${item.options[0]!.label}, ${item.options[item.options.length - 1]!.label}` : ''}
              </div>
              {error ? (
                <span className="nhsuk-error-message" id={errorId}>
                  <span className="nhsuk-u-visually-hidden">Error:</span> {error}
                </span>
              ) : null}
              <div className={`nhsuk-radios${scale ? ' nhsuk-radios--inline app-questionnaire__scale' : ''}`}>
                {item.options.map((option, i) => {
                  const id = itemInputId(prefix, item.linkId, i);
                  return (
                    <div className="nhsuk-radios__item" key={option.value}>
                      <input
                        className="nhsuk-radios__input"
                        id={id}
                        name={`${prefix}${item.linkId}`}
                        type="radio"
                        value={option.value}
                        checked={answers[item.linkId] === option.value}
                        onChange={() => onAnswer(item.linkId, option.value)}
                      />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                        {scale ? option.label.replace(/ – .*$/, '') : option.label}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
        );
      })}
      {questionnaire.licenceNotice ? (
        <p className="nhsuk-body-s app-questionnaire__notice">{questionnaire.licenceNotice}</p>
      ) : null}
    </div>
  );
}

/** Items not answered yet, in order. */
export function unanswered(questionnaire: QuestionnaireDefinition, answers: Answers): QuestionnaireItem[] {
  return questionnaire.items.filter((i) => answers[i.linkId] === undefined);
}
