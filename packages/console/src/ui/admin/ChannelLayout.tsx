import { useRef, useState } from 'preact/hooks';
import {
  HEX_COLOR_PATTERN,
  LOGO_MAX_BYTES,
  LOGO_TYPES,
  MIN_TEXT_CONTRAST,
  THEMES,
  WIDGET_FONTS,
  contrastRatio,
  readableTextColor,
  type AdminChannel,
  type ChannelLayoutInput,
  type Theme,
  type WidgetFont,
} from '@loket/protocol';
import type { MessageKey } from '../../i18n/index.js';
import { fieldOf } from '../../state/admin.js';
import type { Problem } from '../../state/store.js';
import { useConsole } from '../hooks.js';
import { CheckField, FieldError, FormField } from './common.js';
import { describedBy, invalid, useFieldFormAction } from './form.js';

const FIELDS = ['theme', 'color', 'headerTextColor', 'font', 'showAgentPhoto', 'logo'] as const;
type Field = (typeof FIELDS)[number];

const THEME_LABELS: Record<Theme, MessageKey> = { light: 'layout.themeLight', dark: 'layout.themeDark', system: 'layout.themeSystem' };
const FONT_LABELS: Record<WidgetFont, MessageKey> = {
  system: 'layout.fontSystem',
  sans: 'layout.fontSans',
  serif: 'layout.fontSerif',
  rounded: 'layout.fontRounded',
  mono: 'layout.fontMono',
};

function layoutInput(channel: AdminChannel): ChannelLayoutInput {
  const { logoUrl: _logo, ...input } = channel.layout;
  return input;
}

const sameLayout = (a: ChannelLayoutInput, b: ChannelLayoutInput): boolean =>
  a.theme === b.theme && a.color === b.color && a.headerTextColor === b.headerTextColor && a.font === b.font && a.showAgentPhoto === b.showAgentPhoto;

/** "7.2:1", rounded down like the server's message, so a shown 4.5:1 really passes. */
const ratioText = (ratio: number): string => `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;

const localProblem = (field: Field, message: string): Problem => ({ code: 'validation_failed', message, field, detail: null, network: false });

/**
 * "Widget layout": theme, colour, header text colour (with its contrast), font, agent photo, logo. Colours are
 * typed or picked; the header text colour must reach WCAG AA on the colour (the server refuses it otherwise).
 * The logo is uploaded as soon as it is chosen, and checked here first with the server's limits.
 */
export function LayoutSection({ channel, onSaved, onDraft }: { channel: AdminChannel; onSaved(c: AdminChannel): void; onDraft?: (patch: Partial<AdminChannel>) => void }) {
  const [snap, store] = useConsole();
  const { t } = snap;
  const [saved, setSaved] = useState<ChannelLayoutInput>(() => layoutInput(channel));
  const [form, setForm] = useState<ChannelLayoutInput>(() => layoutInput(channel));
  // Colours as typed: "#12" is refused at the field, never sent or previewed.
  const [colorText, setColorText] = useState(form.color);
  const [ownText, setOwnText] = useState(form.headerTextColor === 'auto' ? readableTextColor(form.color) : form.headerTextColor);
  const { busy, setProblem, field: problemField, errorFor, general, run } = useFieldFormAction(FIELDS);
  const [logoBusy, setLogoBusy] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const refs: Record<Field, { current: HTMLInputElement | HTMLSelectElement | null }> = {
    theme: useRef(null),
    color: useRef(null),
    headerTextColor: useRef(null),
    font: useRef(null),
    showAgentPhoto: useRef(null),
    logo: useRef(null),
  };

  const described = (f: Field, hint?: string) => describedBy(`layout-${f}`, errorFor(f), hint);
  const invalidField = (f: Field) => invalid(errorFor(f));

  const change = (patch: Partial<ChannelLayoutInput>) => {
    const next = { ...form, ...patch };
    setForm(next);
    onDraft?.({ layout: { ...next, logoUrl: channel.layout.logoUrl } });
    setJustSaved(false);
    const f = problemField();
    if (f && f in patch) setProblem(null);
  };
  const own = form.headerTextColor !== 'auto';
  const ratio = contrastRatio(form.color, own ? form.headerTextColor : readableTextColor(form.color));
  const passes = ratio >= MIN_TEXT_CONTRAST;
  const colorValid = HEX_COLOR_PATTERN.test(colorText.trim());
  const ownValid = HEX_COLOR_PATTERN.test(ownText.trim());

  const focusField = (p: Problem) => {
    const f = FIELDS.find((x) => x === fieldOf(p.field));
    if (f) refs[f].current?.focus();
  };
  const fail = (p: Problem) => {
    setProblem(p);
    focusField(p);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!colorValid) return fail(localProblem('color', t('layout.colorInvalid')));
    if (own && !ownValid) return fail(localProblem('headerTextColor', t('layout.colorInvalid')));
    await run(async () => {
      setJustSaved(false);
      const result = await store.http.saveLayout(channel.id, form);
      const next = layoutInput(result);
      setSaved(next);
      setForm((f) => (sameLayout(f, form) ? next : f));
      setJustSaved(true);
      onSaved(result);
    }, focusField);
  };

  const logoFile = async (file: File | undefined) => {
    if (!file || logoBusy) return;
    setJustSaved(false);
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return fail(localProblem('logo', t('layout.logoType')));
    if (file.size > LOGO_MAX_BYTES) return fail(localProblem('logo', t('layout.logoTooBig', { max: LOGO_MAX_BYTES / 1000 })));
    setLogoBusy(true);
    setProblem(null);
    try {
      onSaved(await store.http.uploadLogo(channel.id, file));
    } catch (err) {
      fail(store.session.problem(err));
    } finally {
      setLogoBusy(false);
      if (refs.logo.current instanceof HTMLInputElement) refs.logo.current.value = '';
    }
  };
  const removeLogo = async () => {
    if (logoBusy) return;
    setLogoBusy(true);
    setProblem(null);
    try {
      onSaved(await store.http.removeLogo(channel.id));
    } catch (err) {
      fail(store.session.problem(err));
    } finally {
      setLogoBusy(false);
    }
  };

  const dirty = !sameLayout(form, saved);
  const contrastText = own
    ? t(passes ? 'layout.contrastPasses' : 'layout.contrastFails', { ratio: ratioText(ratio), min: MIN_TEXT_CONTRAST })
    : t('layout.contrastAuto', { color: readableTextColor(form.color) === '#ffffff' ? t('layout.white') : t('layout.black'), ratio: ratioText(ratio) });

  return (
    <section class="settings-section" aria-labelledby="layout-heading" data-testid="layout-section">
      <h3 id="layout-heading">{t('layout.heading')}</h3>
      <form class="admin-form" onSubmit={save} noValidate aria-labelledby="layout-heading">
        <fieldset class="radios" aria-describedby={described('theme')}>
          <legend>{t('layout.theme')}</legend>
          {THEMES.map((theme, i) => (
            <label key={theme} class="radio">
              <input
                ref={i === 0 ? (refs.theme as { current: HTMLInputElement | null }) : undefined}
                type="radio"
                name="layout-theme"
                value={theme}
                data-testid={`layout-theme-${theme}`}
                checked={form.theme === theme}
                onChange={() => change({ theme })}
              />
              {t(THEME_LABELS[theme])}
            </label>
          ))}
          <FieldError id="layout-theme-error" field="theme" testId="layout-error" problem={errorFor('theme')} />
        </fieldset>
        <FormField id="layout-color" label={t('layout.color')} hint={t('layout.colorHint')} field="color" errorTestId="layout-error" problem={errorFor('color')}>
          <ColorPair
            id="layout-color"
            inputRef={refs.color as { current: HTMLInputElement | null }}
            pickerTestId="layout-color-picker"
            pickerLabel={t('layout.colorPicker')}
            color={form.color}
            text={colorText}
            invalid={invalidField('color')}
            describedBy={described('color', 'layout-color-hint')}
            onText={setColorText}
            onColor={(color) => change({ color })}
          />
        </FormField>
        <fieldset class="radios" aria-describedby={described('headerTextColor', 'layout-contrast')}>
          <legend>{t('layout.headerText')}</legend>
          <label class="radio">
            <input type="radio" name="layout-header-text" data-testid="layout-header-text-auto" checked={!own} onChange={() => change({ headerTextColor: 'auto' })} />
            {t('layout.headerTextAuto')}
          </label>
          <label class="radio">
            <input
              type="radio"
              name="layout-header-text"
              data-testid="layout-header-text-own"
              checked={own}
              onChange={() => change({ headerTextColor: ownValid ? ownText.trim().toLowerCase() : readableTextColor(form.color) })}
            />
            {t('layout.headerTextOwn')}
          </label>
          {own && (
            <div class="field">
              <label for="layout-header-text-color">{t('layout.headerTextColor')}</label>
              <ColorPair
                id="layout-header-text-color"
                inputRef={refs.headerTextColor as { current: HTMLInputElement | null }}
                pickerTestId="layout-header-text-picker"
                pickerLabel={t('layout.colorPicker')}
                color={form.headerTextColor}
                text={ownText}
                invalid={invalidField('headerTextColor') ?? (passes ? undefined : true)}
                describedBy={described('headerTextColor', 'layout-contrast')}
                onText={setOwnText}
                onColor={(headerTextColor) => change({ headerTextColor })}
              />
            </div>
          )}
          <p id="layout-contrast" class={passes ? 'hint' : 'error'} role="status" data-testid="layout-contrast">
            <span class="swatch" style={{ background: form.color, color: own ? form.headerTextColor : readableTextColor(form.color) }} aria-hidden="true">
              Aa
            </span>{' '}
            {contrastText}
          </p>
          <FieldError id="layout-headerTextColor-error" field="headerTextColor" testId="layout-error" problem={errorFor('headerTextColor')} />
        </fieldset>
        <FormField id="layout-font" label={t('layout.font')} hint={t('layout.fontHint')} field="font" errorTestId="layout-error" problem={errorFor('font')}>
          <select
            id="layout-font"
            ref={refs.font as { current: HTMLSelectElement | null }}
            data-testid="layout-font"
            value={form.font}
            aria-invalid={invalidField('font')}
            aria-describedby={described('font', 'layout-font-hint')}
            onChange={(e) => {
              const font = WIDGET_FONTS.find((f) => f === e.currentTarget.value);
              if (font) change({ font });
            }}
          >
            {WIDGET_FONTS.map((f) => (
              <option key={f} value={f}>
                {t(FONT_LABELS[f])}
              </option>
            ))}
          </select>
        </FormField>
        <CheckField id="layout-agent-photo" label={t('layout.agentPhoto')} errorId="layout-showAgentPhoto-error" field="showAgentPhoto" errorTestId="layout-error" problem={errorFor('showAgentPhoto')}>
          <input
            id="layout-agent-photo"
            ref={refs.showAgentPhoto as { current: HTMLInputElement | null }}
            type="checkbox"
            data-testid="layout-agent-photo"
            checked={form.showAgentPhoto}
            aria-invalid={invalidField('showAgentPhoto')}
            aria-describedby={described('showAgentPhoto')}
            onChange={(e) => change({ showAgentPhoto: e.currentTarget.checked })}
          />
        </CheckField>
        <div class="field">
          <label for="layout-logo">{t('layout.logo')}</label>
          <div class="logo-row">
            {channel.layout.logoUrl ? (
              <img class="logo-current" src={channel.layout.logoUrl} alt={t('layout.logoCurrent')} data-testid="layout-logo-current" />
            ) : (
              <span class="hint" data-testid="layout-logo-none">
                {t('layout.logoNone')}
              </span>
            )}
            <input
              id="layout-logo"
              ref={refs.logo as { current: HTMLInputElement | null }}
              type="file"
              accept={LOGO_TYPES.join(',')}
              data-testid="layout-logo"
              disabled={logoBusy}
              aria-invalid={invalidField('logo')}
              aria-describedby={described('logo', 'layout-logo-hint')}
              onChange={(e) => void logoFile(e.currentTarget.files?.[0])}
            />
            {channel.layout.logoUrl && (
              <button type="button" class="small" data-testid="layout-logo-remove" disabled={logoBusy} onClick={() => void removeLogo()}>
                {t('layout.logoRemove')}
              </button>
            )}
          </div>
          <p id="layout-logo-hint" class="hint">
            {t('layout.logoHint', { max: LOGO_MAX_BYTES / 1000 })}
          </p>
          <span class="ok" role="status" data-testid="layout-logo-status">
            {logoBusy ? t('layout.logoUploading') : ''}
          </span>
          <FieldError id="layout-logo-error" field="logo" testId="layout-error" problem={errorFor('logo')} />
        </div>
        {general && (
          <p class="error" role="alert" data-testid="layout-error">
            {store.session.problemText(general)}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" data-testid="layout-save" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <span class="ok" role="status" data-testid="layout-saved">
            {justSaved && !dirty ? t('admin.saved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/**
 * A colour picker with its #rrggbb text field: the picker fills in the text; typed text becomes the colour only once
 * it is a whole hex colour, so half-typed values never reach the preview or the form.
 */
function ColorPair(props: {
  id: string;
  inputRef: { current: HTMLInputElement | null };
  pickerTestId: string;
  pickerLabel: string;
  color: string;
  text: string;
  invalid: true | undefined;
  describedBy: string | undefined;
  onText(text: string): void;
  onColor(hex: string): void;
}) {
  return (
    <div class="color-row">
      <input
        type="color"
        data-testid={props.pickerTestId}
        aria-label={props.pickerLabel}
        value={props.color}
        onInput={(e) => {
          const value = e.currentTarget.value.toLowerCase();
          props.onText(value);
          props.onColor(value);
        }}
      />
      <input
        id={props.id}
        ref={props.inputRef}
        type="text"
        class="hex"
        spellcheck={false}
        autocomplete="off"
        data-testid={props.id}
        value={props.text}
        aria-invalid={props.invalid}
        aria-describedby={props.describedBy}
        onInput={(e) => {
          const text = e.currentTarget.value;
          props.onText(text);
          const hex = text.trim();
          if (HEX_COLOR_PATTERN.test(hex)) props.onColor(hex.toLowerCase());
        }}
      />
    </div>
  );
}
