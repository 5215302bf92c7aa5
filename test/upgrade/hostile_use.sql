-- Run with search_path = public, pg_catalog (public first): calls into the
-- extension that parse or run SQL at call time.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT health_share.install_model('m');
SELECT health_share.adcode_name('330521'), health_share.adcode_level('330521100'),
       health_share.referral_direction('primary', 'tertiary'),
       health_share.rate_percent('412/450'), health_share.rate_value('1/3'),
       health_share.flow_to_json('{1->2:3}'), (health_share.rate_ci('41/50')).*;
SELECT health_share.referral_down_up_ratio(health_share.referrals(a, b))
  FROM (VALUES ('primary'::health_share.care_level, 'tertiary'::health_share.care_level)) v(a, b);
SELECT * FROM health_share.flow_regions('{330521->330521:9, 330521->330502:1}');
SELECT health_share.refresh_model('m');
SELECT count(*) FROM health_share.indicator;
