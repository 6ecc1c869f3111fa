-- Foundation: places, pairings, catalogue, accounts, roles and permissions.

-- CreateEnum
CREATE TYPE "PlaceLevel" AS ENUM ('PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP');
CREATE TYPE "Programme" AS ENUM ('EAST_WEST', 'IN_PROVINCE', 'GUANGDONG_GUANGXI');
CREATE TYPE "SellerKind" AS ENUM ('COOPERATIVE', 'ENTERPRISE', 'FAMILY_FARM');
CREATE TYPE "VerificationStatus" AS ENUM ('PENDING', 'VERIFIED', 'REJECTED');
CREATE TYPE "StatisticsKind" AS ENUM ('AGRI_LIVESTOCK', 'HANDICRAFT');
CREATE TYPE "ProductStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'LISTED', 'DELISTED');
CREATE TYPE "OrganisationKind" AS ENUM ('UNION', 'BUDGET_UNIT', 'ENTERPRISE');
CREATE TYPE "MemberRole" AS ENUM ('MEMBER', 'BUYER', 'ADMIN');
CREATE TYPE "PairingSide" AS ENUM ('EAST', 'WEST');

-- CreateTable
CREATE TABLE "place" (
    "code" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT NOT NULL,
    "pinyin" TEXT NOT NULL,
    "level" "PlaceLevel" NOT NULL,
    "parent_code" VARCHAR(12),
    CONSTRAINT "place_pkey" PRIMARY KEY ("code"),
    CONSTRAINT "place_code_format" CHECK ("code" ~ '^[0-9]{6}([0-9]{3})?$')
);

CREATE TABLE "pairing" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "programme" "Programme" NOT NULL,
    "east_place_code" VARCHAR(12) NOT NULL,
    "west_place_code" VARCHAR(12) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "parent_id" INTEGER,
    "summary_zh" TEXT NOT NULL DEFAULT '',
    "summary_en" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pairing_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "pairing_valid_range" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from")
);

CREATE TABLE "seller" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL DEFAULT '',
    "kind" "SellerKind" NOT NULL,
    "credit_code" CHAR(18) NOT NULL,
    "county_code" VARCHAR(12) NOT NULL,
    "contact_name" TEXT NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "description_zh" TEXT NOT NULL DEFAULT '',
    "description_en" TEXT NOT NULL DEFAULT '',
    "verification_status" "VerificationStatus" NOT NULL DEFAULT 'PENDING',
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "seller_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "category" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "parent_id" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "category_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "product" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL DEFAULT '',
    "description_zh" TEXT NOT NULL DEFAULT '',
    "description_en" TEXT NOT NULL DEFAULT '',
    "category_id" INTEGER NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "status" "ProductStatus" NOT NULL DEFAULT 'DRAFT',
    "certificate_no" TEXT,
    "certificate_issuer" TEXT,
    "certified_until" DATE,
    "sales_count" INTEGER NOT NULL DEFAULT 0,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "product_image" (
    "id" SERIAL NOT NULL,
    "product_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "alt_zh" TEXT NOT NULL DEFAULT '',
    "alt_en" TEXT NOT NULL DEFAULT '',
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "product_image_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "variant" (
    "id" SERIAL NOT NULL,
    "product_id" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL DEFAULT '',
    "price_fen" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL DEFAULT 0,
    "unit" TEXT NOT NULL,
    "weight_grams" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "variant_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "variant_stock_nonnegative" CHECK ("stock" >= 0),
    CONSTRAINT "variant_price_positive" CHECK ("price_fen" > 0),
    CONSTRAINT "variant_weight_nonnegative" CHECK ("weight_grams" >= 0)
);

CREATE TABLE "app_user" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "app_user_email_lower" CHECK ("email" = lower("email"))
);

CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "user_agent" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "role" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "role_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "permission" (
    "id" SERIAL NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "access" TEXT NOT NULL,
    CONSTRAINT "permission_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "permission_access" CHECK ("access" IN ('own', 'any'))
);

CREATE TABLE "role_permission" (
    "role_id" INTEGER NOT NULL,
    "permission_id" INTEGER NOT NULL,
    CONSTRAINT "role_permission_pkey" PRIMARY KEY ("role_id","permission_id")
);

CREATE TABLE "user_role" (
    "user_id" INTEGER NOT NULL,
    "role_id" INTEGER NOT NULL,
    CONSTRAINT "user_role_pkey" PRIMARY KEY ("user_id","role_id")
);

CREATE TABLE "organisation" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganisationKind" NOT NULL,
    "credit_code" CHAR(18),
    "place_code" VARCHAR(12) NOT NULL,
    "invoice_title" TEXT NOT NULL DEFAULT '',
    "tax_number" TEXT NOT NULL DEFAULT '',
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "membership" (
    "user_id" INTEGER NOT NULL,
    "organisation_id" INTEGER NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'MEMBER',
    CONSTRAINT "membership_pkey" PRIMARY KEY ("user_id","organisation_id")
);

CREATE TABLE "seller_staff" (
    "user_id" INTEGER NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "seller_staff_pkey" PRIMARY KEY ("user_id","seller_id")
);

CREATE TABLE "official_scope" (
    "user_id" INTEGER NOT NULL,
    "pairing_id" INTEGER NOT NULL,
    "side" "PairingSide" NOT NULL,
    CONSTRAINT "official_scope_pkey" PRIMARY KEY ("user_id","pairing_id")
);

CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "place_parent_code_idx" ON "place"("parent_code");
CREATE UNIQUE INDEX "pairing_slug_key" ON "pairing"("slug");
CREATE INDEX "pairing_west_place_code_idx" ON "pairing"("west_place_code");
CREATE INDEX "pairing_east_place_code_idx" ON "pairing"("east_place_code");
CREATE INDEX "pairing_parent_id_idx" ON "pairing"("parent_id");
CREATE UNIQUE INDEX "seller_slug_key" ON "seller"("slug");
CREATE UNIQUE INDEX "seller_credit_code_key" ON "seller"("credit_code");
CREATE INDEX "seller_county_code_idx" ON "seller"("county_code");
CREATE UNIQUE INDEX "category_slug_key" ON "category"("slug");
CREATE INDEX "category_parent_id_idx" ON "category"("parent_id");
CREATE UNIQUE INDEX "product_slug_key" ON "product"("slug");
CREATE INDEX "product_seller_id_idx" ON "product"("seller_id");
CREATE INDEX "product_category_id_idx" ON "product"("category_id");
CREATE INDEX "product_origin_code_idx" ON "product"("origin_code");
CREATE INDEX "product_status_created_at_idx" ON "product"("status", "created_at");
CREATE INDEX "product_image_product_id_position_idx" ON "product_image"("product_id", "position");
CREATE UNIQUE INDEX "variant_sku_key" ON "variant"("sku");
CREATE INDEX "variant_product_id_position_idx" ON "variant"("product_id", "position");
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");
CREATE INDEX "session_user_id_idx" ON "session"("user_id");
CREATE UNIQUE INDEX "role_name_key" ON "role"("name");
CREATE UNIQUE INDEX "permission_action_entity_access_key" ON "permission"("action", "entity", "access");
CREATE UNIQUE INDEX "organisation_credit_code_key" ON "organisation"("credit_code");
CREATE INDEX "membership_organisation_id_idx" ON "membership"("organisation_id");
CREATE INDEX "seller_staff_seller_id_idx" ON "seller_staff"("seller_id");

-- AddForeignKey
ALTER TABLE "place" ADD CONSTRAINT "place_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "place"("code") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "pairing" ADD CONSTRAINT "pairing_east_place_code_fkey" FOREIGN KEY ("east_place_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "pairing" ADD CONSTRAINT "pairing_west_place_code_fkey" FOREIGN KEY ("west_place_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "pairing" ADD CONSTRAINT "pairing_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "pairing"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "seller" ADD CONSTRAINT "seller_county_code_fkey" FOREIGN KEY ("county_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "category" ADD CONSTRAINT "category_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "category"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "product" ADD CONSTRAINT "product_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "product" ADD CONSTRAINT "product_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "product" ADD CONSTRAINT "product_origin_code_fkey" FOREIGN KEY ("origin_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "product_image" ADD CONSTRAINT "product_image_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "variant" ADD CONSTRAINT "variant_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_permission" ADD CONSTRAINT "role_permission_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_permission" ADD CONSTRAINT "role_permission_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "permission"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "role"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_place_code_fkey" FOREIGN KEY ("place_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "membership" ADD CONSTRAINT "membership_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "seller_staff" ADD CONSTRAINT "seller_staff_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "seller_staff" ADD CONSTRAINT "seller_staff_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "official_scope" ADD CONSTRAINT "official_scope_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "official_scope" ADD CONSTRAINT "official_scope_pairing_id_fkey" FOREIGN KEY ("pairing_id") REFERENCES "pairing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Roles and permissions (action:entity:own|any). Later migrations add permissions as features land.
INSERT INTO "role" ("name", "name_zh", "description") VALUES
  ('consumer', '消费者', 'Buys goods for themself'),
  ('org_buyer', '单位采购员', 'Buys on behalf of an organisation they belong to'),
  ('org_admin', '单位管理员', 'Manages an organisation, its members and its buying'),
  ('seller_staff', '商家员工', 'Lists goods and ships orders of their own seller'),
  ('official', '协作办干部', 'Sees and reports the totals of the pairings in their scope'),
  ('finance', '财务', 'Confirms bank transfers and records refunds'),
  ('admin', '平台管理员', 'Runs the platform');

INSERT INTO "permission" ("action", "entity", "access") VALUES
  ('read', 'account', 'own'), ('update', 'account', 'own'),
  ('create', 'order', 'own'), ('read', 'order', 'own'), ('read', 'order', 'any'),
  ('create', 'organisation-order', 'own'), ('read', 'organisation', 'own'), ('update', 'organisation', 'own'),
  ('read', 'organisation', 'any'), ('update', 'organisation', 'any'),
  ('create', 'product', 'own'), ('read', 'product', 'own'), ('update', 'product', 'own'),
  ('read', 'product', 'any'), ('update', 'product', 'any'), ('review', 'product', 'any'),
  ('read', 'fulfilment', 'own'), ('update', 'fulfilment', 'own'), ('read', 'fulfilment', 'any'),
  ('read', 'seller', 'own'), ('update', 'seller', 'own'), ('update', 'seller', 'any'),
  ('read', 'console', 'own'), ('read', 'console', 'any'),
  ('read', 'totals', 'own'), ('read', 'totals', 'any'),
  ('create', 'import', 'own'), ('create', 'import', 'any'),
  ('update', 'target', 'own'), ('update', 'target', 'any'),
  ('confirm', 'payment', 'any'), ('create', 'refund', 'any'),
  ('read', 'audit', 'any'), ('update', 'user', 'any');

INSERT INTO "role_permission" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "role" r JOIN "permission" p ON (
  (r."name" IN ('consumer', 'org_buyer', 'org_admin', 'seller_staff', 'official', 'finance', 'admin')
     AND p."entity" = 'account' AND p."access" = 'own')
  OR (r."name" IN ('consumer', 'org_buyer', 'org_admin') AND p."entity" = 'order' AND p."access" = 'own')
  OR (r."name" IN ('org_buyer', 'org_admin') AND p."entity" = 'organisation-order')
  OR (r."name" IN ('org_buyer', 'org_admin') AND p."entity" = 'organisation' AND p."action" = 'read' AND p."access" = 'own')
  OR (r."name" = 'org_admin' AND p."entity" = 'organisation' AND p."action" = 'update' AND p."access" = 'own')
  OR (r."name" = 'seller_staff' AND p."entity" IN ('product', 'fulfilment', 'seller') AND p."access" = 'own')
  OR (r."name" = 'official' AND p."entity" IN ('console', 'totals', 'import', 'target') AND p."access" = 'own')
  OR (r."name" = 'finance' AND p."entity" IN ('payment', 'refund'))
  OR (r."name" = 'finance' AND p."entity" = 'order' AND p."access" = 'any')
  OR (r."name" = 'admin')
);
