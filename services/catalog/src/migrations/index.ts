import type { MigrationSet } from "@kino/database";
import * as videos from "./0001-videos.ts";
import * as pipeline from "./0002-pipeline.ts";
import * as visibility from "./0003-visibility.ts";
import * as tagsCategories from "./0004-tags-categories.ts";
import * as likesComments from "./0005-likes-comments.ts";
import * as playlists from "./0006-playlists.ts";
import * as watchHistory from "./0007-watch-history.ts";
import * as playable from "./0009-playable.ts";
import * as captions from "./0010-captions.ts";
import * as customPoster from "./0011-custom-poster.ts";
import * as captionText from "./0012-caption-text.ts";
import * as previews from "./0013-previews.ts";
import * as contentProtection from "./0014-content-protection.ts";
import * as downloads from "./0015-downloads.ts";

/** Every catalog migration, in the order applied. Never edit one that has shipped; add the next. */
export const catalogMigrations: MigrationSet = {
  "0001-videos": videos,
  "0002-pipeline": pipeline,
  "0003-visibility": visibility,
  "0004-tags-categories": tagsCategories,
  "0005-likes-comments": likesComments,
  "0006-playlists": playlists,
  "0007-watch-history": watchHistory,
  "0009-playable": playable,
  "0010-captions": captions,
  "0011-custom-poster": customPoster,
  "0012-caption-text": captionText,
  "0013-previews": previews,
  "0014-content-protection": contentProtection,
  "0015-downloads": downloads,
};
