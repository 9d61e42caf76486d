"""The jury's scale and limits."""

# Each criterion is scored from 0 to 10 (whole points); the weighted score is on 10 too.
SCORE_MIN, SCORE_MAX = 0, 10
MAX_COMMENT = 3000
MAX_REASON = 500
