// The select & match index's layout (track-store.ts), on its own so that pages and the storage
// estimate can use it without the database or the kernels.

/** Threshold levels indexed: level / 10, i.e. 0.1 ... 0.9. */
export const TRACK_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
/** The quantities indexed when a recording has them. */
export const TRACK_QUANTITIES = ['h', 'c'] as const;
/** Timesteps per stored block (CellTrack and CellColumn rows). */
export const TRACK_BLOCK = 65536;
