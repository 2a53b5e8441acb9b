-- Person-level data belongs to the PCN that runs the link worker service: row-level security as for contexts.
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY people_tenant ON people
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY referrals_tenant ON referrals
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
-- The needs domains commonly used by social prescribing services (docs/domain guide); administrators can change them.
INSERT INTO needs_domains (code, label, position) VALUES
  ('loneliness', 'Loneliness and social isolation', 1),
  ('mental_wellbeing', 'Mental wellbeing and low mood', 2),
  ('physical_activity', 'Physical activity', 3),
  ('money_debt_benefits', 'Money, debt and benefits', 4),
  ('housing', 'Housing', 5),
  ('employment_education_volunteering', 'Employment, education and volunteering', 6),
  ('caring', 'Caring responsibilities', 7),
  ('long_term_condition', 'Long-term condition self-management', 8),
  ('food', 'Food', 9),
  ('digital_inclusion', 'Digital inclusion', 10),
  ('legal_immigration', 'Legal and immigration advice', 11),
  ('bereavement', 'Bereavement', 12),
  ('substance_use', 'Substance use', 13),
  ('arts_culture_nature', 'Arts, culture and nature', 14);
