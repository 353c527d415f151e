import { AnalyticsService } from "@kino/proto/analytics/v1";
import { AuthService } from "@kino/proto/auth/v1";
import { CatalogService, EngagementService } from "@kino/proto/catalog/v1";
import { NotifyService } from "@kino/proto/notify/v1";
import { PlaybackService } from "@kino/proto/playback/v1";
import { SearchService } from "@kino/proto/search/v1";
import { UploadService } from "@kino/proto/upload/v1";
import type { ScopeRules } from "./method-scopes.ts";

/** What every public RPC needs; the gateway refuses to start if a method is missing here. */
export const publicScopeRules: readonly ScopeRules[] = [
  {
    service: CatalogService,
    scopes: {
      createVideo: "videos:write",
      getVideo: "videos:read",
      listVideos: "videos:read",
      updateVideo: "videos:write",
      deleteVideo: "videos:write",
      watchVideo: "videos:read",
      getUsage: "videos:read",
      listCategories: null,
      putCategory: "admin",
      deleteCategory: "admin",
      listCaptions: "videos:read",
      requestDownload: "videos:write",
    },
  },
  {
    // Anonymous viewers read what they may see (the catalog decides); liking, commenting, playlists and history need a user.
    service: EngagementService,
    scopes: {
      likeVideo: "videos:write",
      unlikeVideo: "videos:write",
      getVideoEngagement: "videos:read",
      createComment: "videos:write",
      listComments: "videos:read",
      updateComment: "videos:write",
      deleteComment: "videos:write",
      setCommentHidden: "videos:write",
      createPlaylist: "videos:write",
      getPlaylist: "videos:read",
      updatePlaylist: "videos:write",
      deletePlaylist: "videos:write",
      listPlaylists: "videos:read",
      addPlaylistItem: "videos:write",
      removePlaylistItem: "videos:write",
      movePlaylistItem: "videos:write",
      listPlaylistItems: "videos:read",
      setPlaybackPosition: "videos:write",
      getPlaybackPosition: "videos:read",
      listWatchHistory: "videos:read",
      removeWatchHistoryEntry: "videos:write",
      clearWatchHistory: "videos:write",
    },
  },
  { service: UploadService, scopes: { createUpload: "videos:write" } },
  {
    service: SearchService,
    scopes: { searchVideos: "videos:read", listRelatedVideos: "videos:read", listRecommendedVideos: "videos:read", listTrendingVideos: "videos:read" },
  },
  { service: PlaybackService, scopes: { getPlaybackInfo: "videos:read" } },
  {
    // Webhooks and notifications are about the caller's videos: reading them is videos:read, changing them videos:write.
    service: NotifyService,
    scopes: {
      createWebhookEndpoint: "videos:write",
      listWebhookEndpoints: "videos:read",
      deleteWebhookEndpoint: "videos:write",
      enableWebhookEndpoint: "videos:write",
      listWebhookDeliveries: "videos:read",
      redeliverWebhook: "videos:write",
      listNotifications: "videos:read",
      markNotificationsRead: "videos:write",
      getNotificationPreferences: "videos:read",
      setNotificationPreferences: "videos:write",
    },
  },
  {
    service: AnalyticsService,
    scopes: Object.fromEntries(AnalyticsService.methods.map((method) => [method.localName, "analytics:read" as const])),
  },
  {
    service: AuthService,
    scopes: {
      signUp: null,
      verifyEmail: null,
      signIn: null,
      requestSignInCode: null,
      signInWithCode: null,
      refresh: null,
      signOut: null,
      getJwks: null,
      requestPasswordReset: null,
      resetPassword: null,
      getMe: null,
      updateProfile: null,
      listSessions: null,
      revokeSession: null,
      revokeAllSessions: null,
      createApiKey: null,
      listApiKeys: null,
      revokeApiKey: null,
      listUsers: "admin",
      setUserTier: "admin",
      setUserDisabled: "admin",
    },
    // A leaked server key must not be able to mint more keys or end the owner's sessions.
    peopleOnly: ["updateProfile", "listSessions", "revokeSession", "revokeAllSessions", "createApiKey", "listApiKeys", "revokeApiKey"],
  },
];
