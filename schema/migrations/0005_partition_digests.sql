CREATE TABLE "dw_meta"."partition_digests" (
	"asset_key" text NOT NULL,
	"version_key" text NOT NULL,
	"partition_key" text NOT NULL,
	"digest" text NOT NULL,
	CONSTRAINT "partition_digests_asset_key_version_key_partition_key_pk" PRIMARY KEY("asset_key","version_key","partition_key")
);
