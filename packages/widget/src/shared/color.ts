export { DEFAULT_COLOR, contrastRatio, headerTextColorFor, luminance, readableTextColor, safeColor } from '@loket/protocol';
