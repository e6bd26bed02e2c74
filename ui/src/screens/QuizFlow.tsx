/**
 * One lesson's quiz, a question at a time. Each answer is checked as it is given and explained
 * with its source before the next question; after the last, the attempt is saved and its
 * score, XP, streak and any new badges are shown. Scoring is on right answers only, so nothing
 * here is timed.
 */
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { Answer, AnswerFeedback, AppError, AttemptOutcome, LessonView } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import { localText } from "../learn";

interface QuizFlowProps {
  lesson: LessonView;
  /** Called once the attempt is saved, so progress can reload. */
  onFinished: (outcome: AttemptOutcome) => void;
  /** Back to the lesson list. */
  onClose: () => void;
  /** Badge titles by id, for naming newly earned ones. */
  badgeTitle: (id: string) => string;
}

export function QuizFlow({ lesson, onFinished, onClose, badgeTitle }: QuizFlowProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const startedAt = useRef(new Date().toISOString());
  const [index, setIndex] = useState(0);
  const [picked, setPicked] = useState<string[]>([]);
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [feedback, setFeedback] = useState<AnswerFeedback | null>(null);
  const [outcome, setOutcome] = useState<AttemptOutcome | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const question = lesson.questions[index];
  const last = index === lesson.questions.length - 1;

  if (outcome !== null) {
    const { score } = outcome;
    const verdict = score.mastered ? "mastered" : score.passed ? "passed" : "notPassed";
    return (
      <div className="card quiz-result" data-testid="quiz-result" data-correct={score.correct}>
        <h3>{t(`learn.result.${verdict}`)}</h3>
        <p data-testid="quiz-score">
          {t("learn.result.score", { correct: score.correct, total: score.total })}
        </p>
        <p data-testid="quiz-xp">{t("learn.result.xp", { xp: outcome.xp_gained })}</p>
        <p data-testid="quiz-streak" data-value={outcome.streak.current}>
          {t("learn.result.streak", { count: outcome.streak.current })}
        </p>
        {outcome.badges_earned.map((id) => (
          <p key={id} className="quiz-badge" data-testid="quiz-badge-earned">
            {t("learn.result.badge", { title: badgeTitle(id) })}
          </p>
        ))}
        <button type="button" className="button" onClick={onClose}>
          {t("learn.backToLessons")}
        </button>
      </div>
    );
  }

  if (question === undefined) return null;

  const choose = (id: string) => {
    if (feedback !== null) return;
    if (question.kind === "multiple") {
      setPicked((prev) => (prev.includes(id) ? prev.filter((c) => c !== id) : [...prev, id]));
    } else {
      setPicked([id]);
    }
  };

  const check = async () => {
    const answer: Answer = { question_id: question.id, choices: picked };
    setBusy(true);
    setError(null);
    try {
      setFeedback(await ipc.learnCheckAnswer(lesson.id, answer));
      setAnswers((prev) => [...prev, answer]);
    } catch (reason) {
      setError(toAppError(reason));
    } finally {
      setBusy(false);
    }
  };

  const next = async () => {
    if (!last) {
      setIndex(index + 1);
      setPicked([]);
      setFeedback(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await ipc.learnSubmitAttempt(lesson.id, answers, startedAt.current);
      setOutcome(saved);
      onFinished(saved);
    } catch (reason) {
      setError(toAppError(reason));
    } finally {
      setBusy(false);
    }
  };

  const inputType = question.kind === "multiple" ? "checkbox" : "radio";
  return (
    <div className="card quiz" data-testid="quiz" data-question-id={question.id}>
      <p className="muted">
        {t("learn.quiz.progress", { n: index + 1, total: lesson.questions.length })}
      </p>
      <fieldset className="quiz-question">
        <legend>{localText(question.prompt, locale)}</legend>
        {question.kind === "multiple" && <p className="muted">{t("learn.quiz.chooseAll")}</p>}
        {question.choices.map((choice) => {
          const right = feedback?.answer.includes(choice.id) ?? false;
          const mark = feedback === null ? "" : right ? "choice-right" : "";
          return (
            <label key={choice.id} className={`quiz-choice ${mark}`}>
              <input
                type={inputType}
                name={`question-${question.id}`}
                value={choice.id}
                checked={picked.includes(choice.id)}
                disabled={feedback !== null}
                onChange={() => {
                  choose(choice.id);
                }}
                data-testid="quiz-choice"
              />
              <span>{localText(choice.text, locale)}</span>
            </label>
          );
        })}
      </fieldset>

      {feedback !== null && (
        <div
          className={`quiz-feedback ${feedback.correct ? "right" : "wrong"}`}
          role="status"
          data-testid="quiz-feedback"
          data-correct={feedback.correct}
        >
          <strong>{feedback.correct ? t("learn.quiz.right") : t("learn.quiz.wrong")}</strong>
          <p>{localText(feedback.explanation, locale)}</p>
          <p className="muted">{t("learn.quiz.source", { source: feedback.source })}</p>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} />}

      <div className="toolbar">
        <button type="button" className="button button-quiet" onClick={onClose}>
          {t("learn.quiz.leave")}
        </button>
        {feedback === null ? (
          <button
            type="button"
            className="button"
            disabled={picked.length === 0 || busy}
            onClick={() => void check()}
            data-testid="quiz-check"
          >
            {t("learn.quiz.check")}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void next()}
            data-testid="quiz-next"
          >
            {last ? t("learn.quiz.finish") : t("learn.quiz.next")}
          </button>
        )}
      </div>
    </div>
  );
}
