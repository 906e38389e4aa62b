WITH cw_input AS NOT MATERIALIZED (
  SELECT
    *,
    "action" AS cw_action,
    COALESCE("data", CAST(ARRAY[] AS TEXT[])) AS cw_data,
    "subject" AS cw_subject,
    CASE
      WHEN "recipient" IS NULL AND "action" IN ('retain', 'use')
      THEN 'first_party'
      ELSE "recipient"
    END AS cw_recipient,
    "purpose" AS cw_purpose,
    "event" AS cw_event,
    "method" AS cw_method,
    "source" AS cw_source,
    "actor" AS cw_actor,
    "place" AS cw_place,
    "mechanism" AS cw_mechanism,
    "basis" AS cw_basis,
    "residence" AS cw_residence,
    "channel" AS cw_channel,
    "right" AS cw_right,
    "until" AS cw_until,
    "collected_for" AS cw_collected_for,
    "days" AS cw_days,
    "aggregated" AS cwf_aggregated,
    "consent" AS cwf_consent,
    "date" AS cwf_date,
    "deactivated" AS cwf_deactivated,
    "deleted" AS cwf_deleted,
    "dnt" AS cwf_dnt,
    "encrypted" AS cwf_encrypted,
    "legal_requirement" AS cwf_legal_requirement,
    "limited_sensitive" AS cwf_limited_sensitive,
    "linked" AS cwf_linked,
    "notice_given" AS cwf_notice_given,
    "objected" AS cwf_objected,
    "opted_out" AS cwf_opted_out,
    "opted_out_of_sale" AS cwf_opted_out_of_sale,
    "original_purpose" AS cwg_original_purpose,
    "parental_consent" AS cwf_parental_consent,
    "previous" AS cwf_previous,
    "restricted" AS cwf_restricted,
    "subject_age" AS cwf_subject_age,
    "terms_violation" AS cwf_terms_violation,
    CASE
      WHEN COALESCE(ABS("days") > 9007199254740991, FALSE)
      THEN 'days: numbers are whole and at most 9,007,199,254,740,991'
      WHEN NOT "date" IS NULL
      AND NOT COALESCE(
        (
          "date" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND NOT CAST("date" AS DATE) IS NULL
        ),
        FALSE
      )
      THEN 'context.date: `date` is a day written YYYY-MM-DD, not `' || "date" || '`'
      WHEN COALESCE(ABS("previous") > 9007199254740991, FALSE)
      THEN 'context.previous: numbers are whole and at most 9,007,199,254,740,991'
      WHEN COALESCE(ABS("subject_age") > 9007199254740991, FALSE)
      THEN 'context.subject_age: numbers are whole and at most 9,007,199,254,740,991'
    END AS cw_bad
  FROM actions
), cw_shapes AS (
  SELECT DISTINCT
    cw_action,
    cw_actor,
    cw_bad,
    cw_basis,
    cw_channel,
    cw_collected_for,
    cw_data,
    cw_days,
    cw_event,
    cw_mechanism,
    cw_method,
    cw_place,
    cw_purpose,
    cw_recipient,
    cw_residence,
    cw_right,
    cw_source,
    cw_subject,
    cw_until,
    cwf_aggregated,
    cwf_consent,
    cwf_deactivated,
    cwf_encrypted,
    cwf_legal_requirement,
    cwf_linked,
    cwf_notice_given,
    cwf_opted_out,
    cwf_subject_age,
    cwf_terms_violation,
    cwg_original_purpose
  FROM cw_input
), cw_checked AS (
  SELECT
    *,
    COALESCE(
      cw_bad,
      CASE
        WHEN cw_action IS NULL
        THEN 'action: a row must name its action kind'
        WHEN NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'action: `' || cw_action || '` is not one of collect, use, share, sell, retain, notify, exercise'
        WHEN cw_action IN ('collect', 'retain', 'sell', 'share', 'use')
        AND COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
        THEN 'data: a `' || cw_action || '` action must name at least one data category'
        WHEN COALESCE(ARRAY_LENGTH(cw_data, 1), 0) > 1000
        THEN 'data: an action names at most 1,000 data categories'
        WHEN COALESCE(
          ARRAY_LENGTH(
            ARRAY(SELECT
              cw_c
            FROM UNNEST(cw_data) AS _t0(cw_c)
            WHERE
              NOT COALESCE(
                cw_c IN (
                  'system',
                  'system.authentication',
                  'system.operations',
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ),
                FALSE
              )),
            1
          ),
          0
        ) > 0
        THEN 'data: unknown category `' || ARRAY_TO_STRING(
          ARRAY(SELECT
            cw_c
          FROM UNNEST(cw_data) AS _t1(cw_c)
          WHERE
            NOT COALESCE(
              cw_c IN (
                'system',
                'system.authentication',
                'system.operations',
                'user',
                'user.account',
                'user.account.settings',
                'user.account.username',
                'user.authorization',
                'user.authorization.biometric',
                'user.authorization.credentials',
                'user.authorization.password',
                'user.behavior',
                'user.behavior.browsing_history',
                'user.behavior.media_consumption',
                'user.behavior.page_requests',
                'user.behavior.purchase_history',
                'user.behavior.search_history',
                'user.biometric',
                'user.biometric.fingerprint',
                'user.biometric.health',
                'user.biometric.retinal',
                'user.biometric.voice',
                'user.childrens',
                'user.contact',
                'user.contact.address',
                'user.contact.address.city',
                'user.contact.address.country',
                'user.contact.address.postal_code',
                'user.contact.address.state',
                'user.contact.address.street',
                'user.contact.email',
                'user.contact.fax_number',
                'user.contact.organization',
                'user.contact.phone_number',
                'user.contact.url',
                'user.content',
                'user.content.private',
                'user.content.public',
                'user.content.self_image',
                'user.content.testimonial',
                'user.criminal_history',
                'user.demographic',
                'user.demographic.age_range',
                'user.demographic.date_of_birth',
                'user.demographic.gender',
                'user.demographic.language',
                'user.demographic.marital_status',
                'user.demographic.political_opinion',
                'user.demographic.profile',
                'user.demographic.race_ethnicity',
                'user.demographic.religious_belief',
                'user.demographic.sexual_orientation',
                'user.device',
                'user.device.cookie',
                'user.device.cookie_id',
                'user.device.device_id',
                'user.device.ip_address',
                'user.financial',
                'user.financial.bank_account',
                'user.financial.credit_card',
                'user.government_id',
                'user.government_id.birth_certificate',
                'user.government_id.drivers_license_number',
                'user.government_id.immigration',
                'user.government_id.national_identification_number',
                'user.government_id.passport_number',
                'user.government_id.vehicle_registration',
                'user.health_and_medical',
                'user.health_and_medical.genetic',
                'user.health_and_medical.insurance_beneficiary_id',
                'user.health_and_medical.record_id',
                'user.job_title',
                'user.location',
                'user.location.imprecise',
                'user.location.precise',
                'user.name',
                'user.name.first',
                'user.name.last',
                'user.payment',
                'user.privacy_preferences',
                'user.sensor',
                'user.social',
                'user.telemetry',
                'user.unique_id',
                'user.unique_id.pseudonymous',
                'user.user_sensor',
                'user.workplace',
                'user.workplace.demographics',
                'user.workplace.financials'
              ),
              FALSE
            )),
          '`, `'
        ) || '`'
        WHEN NOT cw_subject IS NULL
        AND NOT cw_subject IN (
          'anonymous_user',
          'citizen_voter',
          'commuter',
          'consultant',
          'customer',
          'employee',
          'job_applicant',
          'next_of_kin',
          'passenger',
          'patient',
          'prospect',
          'shareholder',
          'supplier_vendor',
          'trainee',
          'visitor'
        )
        THEN 'subject: unknown subject `' || cw_subject || '`'
        WHEN NOT cw_recipient IS NULL
        AND NOT cw_recipient IN (
          'acquirer',
          'ad_vendor',
          'advertiser',
          'affiliate',
          'authority',
          'chat_provider',
          'email_provider',
          'first_party',
          'forum_users',
          'other_users',
          'partner',
          'public',
          'service_provider',
          'third_party_site',
          'tracking_service'
        )
        THEN 'recipient: unknown recipient `' || cw_recipient || '`'
        WHEN NOT cw_purpose IS NULL
        AND NOT cw_purpose IN (
          'analytics',
          'analytics.reporting',
          'analytics.reporting.ad_performance',
          'analytics.reporting.campaign_insights',
          'analytics.reporting.content_performance',
          'analytics.reporting.system',
          'analytics.reporting.system.performance',
          'analytics.reporting.visitor_regions',
          'analytics.research',
          'collect',
          'employment',
          'employment.recruitment',
          'essential',
          'essential.fraud_detection',
          'essential.investigation',
          'essential.legal_obligation',
          'essential.safety',
          'essential.service',
          'essential.service.authentication',
          'essential.service.contact',
          'essential.service.notifications',
          'essential.service.notifications.email',
          'essential.service.notifications.sms',
          'essential.service.operations',
          'essential.service.operations.improve',
          'essential.service.operations.support',
          'essential.service.payment_processing',
          'essential.service.security',
          'essential.service.upgrades',
          'essential.terms_enforcement',
          'finance',
          'functional',
          'functional.service',
          'functional.service.improve',
          'functional.storage',
          'functional.storage.privacy_preferences',
          'marketing',
          'marketing.advertising',
          'marketing.advertising.first_party',
          'marketing.advertising.first_party.contextual',
          'marketing.advertising.first_party.targeted',
          'marketing.advertising.frequency_capping',
          'marketing.advertising.negative_targeting',
          'marketing.advertising.profiling',
          'marketing.advertising.serving',
          'marketing.advertising.third_party',
          'marketing.advertising.third_party.targeted',
          'marketing.communications',
          'marketing.communications.email',
          'marketing.communications.sms',
          'merger_acquisition',
          'operations',
          'personalize',
          'personalize.content',
          'personalize.content.limited',
          'personalize.content.profiled',
          'personalize.content.profiling',
          'personalize.profiling',
          'personalize.system',
          'residual_backup',
          'sales',
          'third_party_sharing',
          'third_party_sharing.legal_obligation',
          'train_ai_system'
        )
        THEN 'purpose: unknown purpose `' || cw_purpose || '`'
        WHEN NOT cw_event IS NULL
        AND NOT cw_event IN (
          'account_closure',
          'merger',
          'minor_policy_change',
          'newsletter_subscription',
          'paid_subscription',
          'policy_change',
          'service_announcement',
          'session_end',
          'sign_up',
          'site_visit',
          'subscription_end',
          'transaction_complete',
          'trial_subscription'
        )
        THEN 'event: unknown event `' || cw_event || '`'
        WHEN NOT cw_method IS NULL
        AND NOT cw_method IN ('automatic', 'cookies', 'provided', 'third_party')
        THEN 'method: unknown method `' || cw_method || '`'
        WHEN NOT cw_source IS NULL
        AND NOT cw_source IN (
          'affiliates',
          'browser_extension',
          'desktop_app',
          'mobile_app',
          'mobile_site',
          'other_sites',
          'third_parties',
          'web_site'
        )
        THEN 'source: unknown source `' || cw_source || '`'
        WHEN NOT cw_actor IS NULL
        AND NOT cw_actor IN (
          'authorized_agent',
          'automated',
          'contractor',
          'data_subject',
          'other_users',
          'parent',
          'staff',
          'support',
          'team_admin'
        )
        THEN 'actor: unknown actor `' || cw_actor || '`'
        WHEN NOT cw_place IS NULL
        AND NOT cw_place IN (
          'california',
          'canada',
          'eea',
          'eu',
          'switzerland',
          'united_kingdom',
          'united_states',
          'worldwide'
        )
        THEN 'place: unknown place `' || cw_place || '`'
        WHEN NOT cw_mechanism IS NULL
        AND NOT cw_mechanism IN (
          'adequacy_decision',
          'binding_corporate_rules',
          'certification',
          'data_privacy_framework',
          'explicit_consent',
          'privacy_shield',
          'safe_harbor',
          'standard_contractual_clauses'
        )
        THEN 'mechanism: unknown mechanism `' || cw_mechanism || '`'
        WHEN NOT cw_basis IS NULL
        AND NOT cw_basis IN (
          'consent',
          'contract',
          'legal_obligation',
          'legitimate_interests',
          'public_task',
          'vital_interests'
        )
        THEN 'basis: unknown basis `' || cw_basis || '`'
        WHEN NOT cw_residence IS NULL
        AND NOT cw_residence IN (
          'california',
          'canada',
          'eea',
          'eu',
          'switzerland',
          'united_kingdom',
          'united_states',
          'worldwide'
        )
        THEN 'residence: unknown place `' || cw_residence || '`'
        WHEN NOT cw_channel IS NULL
        AND NOT cw_channel IN (
          'account_email',
          'browser_settings',
          'consent_form',
          'device_settings',
          'email',
          'email_link',
          'flash_settings',
          'google_opt_out_page',
          'home_page_notice',
          'not_using',
          'opt_out_link',
          'phone',
          'policy_page',
          'postal_mail',
          'privacy_email',
          'privacy_settings',
          'third_party_page',
          'web_form',
          'web_notice'
        )
        THEN 'channel: unknown channel `' || cw_channel || '`'
        WHEN NOT cw_right IS NULL
        AND NOT cw_right IN (
          'access',
          'correction',
          'deactivation',
          'deletion',
          'limit_sensitive',
          'objection',
          'opt_out',
          'opt_out_of_sale',
          'participation',
          'portability',
          'restriction',
          'unsubscribe'
        )
        THEN 'right: unknown right `' || cw_right || '`'
        WHEN NOT cw_until IS NULL
        AND NOT cw_until IN (
          'account_closure',
          'merger',
          'minor_policy_change',
          'newsletter_subscription',
          'paid_subscription',
          'policy_change',
          'service_announcement',
          'session_end',
          'sign_up',
          'site_visit',
          'subscription_end',
          'transaction_complete',
          'trial_subscription'
        )
        THEN 'until: unknown event `' || cw_until || '`'
        WHEN NOT cw_collected_for IS NULL
        AND NOT cw_collected_for IN (
          'analytics',
          'analytics.reporting',
          'analytics.reporting.ad_performance',
          'analytics.reporting.campaign_insights',
          'analytics.reporting.content_performance',
          'analytics.reporting.system',
          'analytics.reporting.system.performance',
          'analytics.reporting.visitor_regions',
          'analytics.research',
          'collect',
          'employment',
          'employment.recruitment',
          'essential',
          'essential.fraud_detection',
          'essential.investigation',
          'essential.legal_obligation',
          'essential.safety',
          'essential.service',
          'essential.service.authentication',
          'essential.service.contact',
          'essential.service.notifications',
          'essential.service.notifications.email',
          'essential.service.notifications.sms',
          'essential.service.operations',
          'essential.service.operations.improve',
          'essential.service.operations.support',
          'essential.service.payment_processing',
          'essential.service.security',
          'essential.service.upgrades',
          'essential.terms_enforcement',
          'finance',
          'functional',
          'functional.service',
          'functional.service.improve',
          'functional.storage',
          'functional.storage.privacy_preferences',
          'marketing',
          'marketing.advertising',
          'marketing.advertising.first_party',
          'marketing.advertising.first_party.contextual',
          'marketing.advertising.first_party.targeted',
          'marketing.advertising.frequency_capping',
          'marketing.advertising.negative_targeting',
          'marketing.advertising.profiling',
          'marketing.advertising.serving',
          'marketing.advertising.third_party',
          'marketing.advertising.third_party.targeted',
          'marketing.communications',
          'marketing.communications.email',
          'marketing.communications.sms',
          'merger_acquisition',
          'operations',
          'personalize',
          'personalize.content',
          'personalize.content.limited',
          'personalize.content.profiled',
          'personalize.content.profiling',
          'personalize.profiling',
          'personalize.system',
          'residual_backup',
          'sales',
          'third_party_sharing',
          'third_party_sharing.legal_obligation',
          'train_ai_system'
        )
        THEN 'collected_for: unknown purpose `' || cw_collected_for || '`'
        WHEN NOT cw_subject IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'subject: a `' || cw_action || '` action has no subject'
        WHEN NOT cw_recipient IS NULL AND NOT cw_action IN ('retain', 'sell', 'share', 'use')
        THEN 'recipient: a `' || cw_action || '` action has no recipient'
        WHEN NOT cw_purpose IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'purpose: a `' || cw_action || '` action has no purpose'
        WHEN NOT cw_event IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'event: a `' || cw_action || '` action has no event'
        WHEN NOT cw_method IS NULL AND NOT cw_action IN ('collect')
        THEN 'method: a `' || cw_action || '` action has no method'
        WHEN NOT cw_source IS NULL
        AND NOT cw_action IN ('collect', 'retain', 'sell', 'share', 'use')
        THEN 'source: a `' || cw_action || '` action has no source'
        WHEN NOT cw_actor IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'actor: a `' || cw_action || '` action has no actor'
        WHEN NOT cw_place IS NULL
        AND NOT cw_action IN ('collect', 'retain', 'sell', 'share', 'use')
        THEN 'place: a `' || cw_action || '` action has no place'
        WHEN NOT cw_mechanism IS NULL AND NOT cw_action IN ('retain', 'sell', 'share')
        THEN 'mechanism: a `' || cw_action || '` action has no mechanism'
        WHEN NOT cw_basis IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'basis: a `' || cw_action || '` action has no basis'
        WHEN NOT cw_residence IS NULL
        AND NOT cw_action IN ('collect', 'exercise', 'notify', 'retain', 'sell', 'share', 'use')
        THEN 'residence: a `' || cw_action || '` action has no residence'
        WHEN NOT cw_channel IS NULL AND NOT cw_action IN ('exercise', 'notify')
        THEN 'channel: a `' || cw_action || '` action has no channel'
        WHEN NOT cw_right IS NULL AND NOT cw_action IN ('exercise')
        THEN 'right: a `' || cw_action || '` action has no right'
        WHEN cw_action = 'exercise' AND cw_right IS NULL
        THEN 'right: an `exercise` action must name the right exercised'
        WHEN COALESCE(cw_days < 0, FALSE)
        THEN 'days: a number of days is 0 or more'
        WHEN NOT cw_collected_for IS NULL
        AND NOT cwg_original_purpose IS NULL
        AND cwg_original_purpose <> CASE
          WHEN cw_collected_for = 'analytics'
          THEN COALESCE(
            cw_purpose IN (
              'analytics',
              'analytics.reporting',
              'analytics.reporting.ad_performance',
              'analytics.reporting.campaign_insights',
              'analytics.reporting.content_performance',
              'analytics.reporting.system',
              'analytics.reporting.system.performance',
              'analytics.reporting.visitor_regions',
              'analytics.research'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'analytics.reporting'
          THEN COALESCE(
            cw_purpose IN (
              'analytics.reporting',
              'analytics.reporting.ad_performance',
              'analytics.reporting.campaign_insights',
              'analytics.reporting.content_performance',
              'analytics.reporting.system',
              'analytics.reporting.system.performance',
              'analytics.reporting.visitor_regions'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'analytics.reporting.ad_performance'
          THEN COALESCE(cw_purpose IN ('analytics.reporting.ad_performance'), FALSE)
          WHEN cw_collected_for = 'analytics.reporting.campaign_insights'
          THEN COALESCE(cw_purpose IN ('analytics.reporting.campaign_insights'), FALSE)
          WHEN cw_collected_for = 'analytics.reporting.content_performance'
          THEN COALESCE(cw_purpose IN ('analytics.reporting.content_performance'), FALSE)
          WHEN cw_collected_for = 'analytics.reporting.system'
          THEN COALESCE(
            cw_purpose IN ('analytics.reporting.system', 'analytics.reporting.system.performance'),
            FALSE
          )
          WHEN cw_collected_for = 'analytics.reporting.system.performance'
          THEN COALESCE(cw_purpose IN ('analytics.reporting.system.performance'), FALSE)
          WHEN cw_collected_for = 'analytics.reporting.visitor_regions'
          THEN COALESCE(cw_purpose IN ('analytics.reporting.visitor_regions'), FALSE)
          WHEN cw_collected_for = 'analytics.research'
          THEN COALESCE(cw_purpose IN ('analytics.research'), FALSE)
          WHEN cw_collected_for = 'collect'
          THEN COALESCE(cw_purpose IN ('collect'), FALSE)
          WHEN cw_collected_for = 'employment'
          THEN COALESCE(cw_purpose IN ('employment', 'employment.recruitment'), FALSE)
          WHEN cw_collected_for = 'employment.recruitment'
          THEN COALESCE(cw_purpose IN ('employment.recruitment'), FALSE)
          WHEN cw_collected_for = 'essential'
          THEN COALESCE(
            cw_purpose IN (
              'essential',
              'essential.fraud_detection',
              'essential.investigation',
              'essential.legal_obligation',
              'essential.safety',
              'essential.service',
              'essential.service.authentication',
              'essential.service.contact',
              'essential.service.notifications',
              'essential.service.notifications.email',
              'essential.service.notifications.sms',
              'essential.service.operations',
              'essential.service.operations.improve',
              'essential.service.operations.support',
              'essential.service.payment_processing',
              'essential.service.security',
              'essential.service.upgrades',
              'essential.terms_enforcement',
              'residual_backup'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'essential.fraud_detection'
          THEN COALESCE(cw_purpose IN ('essential.fraud_detection'), FALSE)
          WHEN cw_collected_for = 'essential.investigation'
          THEN COALESCE(cw_purpose IN ('essential.investigation'), FALSE)
          WHEN cw_collected_for = 'essential.legal_obligation'
          THEN COALESCE(cw_purpose IN ('essential.legal_obligation'), FALSE)
          WHEN cw_collected_for = 'essential.safety'
          THEN COALESCE(cw_purpose IN ('essential.safety'), FALSE)
          WHEN cw_collected_for = 'essential.service'
          THEN COALESCE(
            cw_purpose IN (
              'essential.service',
              'essential.service.authentication',
              'essential.service.contact',
              'essential.service.notifications',
              'essential.service.notifications.email',
              'essential.service.notifications.sms',
              'essential.service.operations',
              'essential.service.operations.improve',
              'essential.service.operations.support',
              'essential.service.payment_processing',
              'essential.service.security',
              'essential.service.upgrades',
              'residual_backup'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'essential.service.authentication'
          THEN COALESCE(cw_purpose IN ('essential.service.authentication'), FALSE)
          WHEN cw_collected_for = 'essential.service.contact'
          THEN COALESCE(cw_purpose IN ('essential.service.contact'), FALSE)
          WHEN cw_collected_for = 'essential.service.notifications'
          THEN COALESCE(
            cw_purpose IN (
              'essential.service.notifications',
              'essential.service.notifications.email',
              'essential.service.notifications.sms'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'essential.service.notifications.email'
          THEN COALESCE(cw_purpose IN ('essential.service.notifications.email'), FALSE)
          WHEN cw_collected_for = 'essential.service.notifications.sms'
          THEN COALESCE(cw_purpose IN ('essential.service.notifications.sms'), FALSE)
          WHEN cw_collected_for = 'essential.service.operations'
          THEN COALESCE(
            cw_purpose IN (
              'essential.service.operations',
              'essential.service.operations.improve',
              'essential.service.operations.support',
              'residual_backup'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'essential.service.operations.improve'
          THEN COALESCE(cw_purpose IN ('essential.service.operations.improve'), FALSE)
          WHEN cw_collected_for = 'essential.service.operations.support'
          THEN COALESCE(cw_purpose IN ('essential.service.operations.support'), FALSE)
          WHEN cw_collected_for = 'essential.service.payment_processing'
          THEN COALESCE(cw_purpose IN ('essential.service.payment_processing'), FALSE)
          WHEN cw_collected_for = 'essential.service.security'
          THEN COALESCE(cw_purpose IN ('essential.service.security'), FALSE)
          WHEN cw_collected_for = 'essential.service.upgrades'
          THEN COALESCE(cw_purpose IN ('essential.service.upgrades'), FALSE)
          WHEN cw_collected_for = 'essential.terms_enforcement'
          THEN COALESCE(cw_purpose IN ('essential.terms_enforcement'), FALSE)
          WHEN cw_collected_for = 'finance'
          THEN COALESCE(cw_purpose IN ('finance'), FALSE)
          WHEN cw_collected_for = 'functional'
          THEN COALESCE(
            cw_purpose IN (
              'functional',
              'functional.service',
              'functional.service.improve',
              'functional.storage',
              'functional.storage.privacy_preferences'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'functional.service'
          THEN COALESCE(cw_purpose IN ('functional.service', 'functional.service.improve'), FALSE)
          WHEN cw_collected_for = 'functional.service.improve'
          THEN COALESCE(cw_purpose IN ('functional.service.improve'), FALSE)
          WHEN cw_collected_for = 'functional.storage'
          THEN COALESCE(
            cw_purpose IN ('functional.storage', 'functional.storage.privacy_preferences'),
            FALSE
          )
          WHEN cw_collected_for = 'functional.storage.privacy_preferences'
          THEN COALESCE(cw_purpose IN ('functional.storage.privacy_preferences'), FALSE)
          WHEN cw_collected_for = 'marketing'
          THEN COALESCE(
            cw_purpose IN (
              'marketing',
              'marketing.advertising',
              'marketing.advertising.first_party',
              'marketing.advertising.first_party.contextual',
              'marketing.advertising.first_party.targeted',
              'marketing.advertising.frequency_capping',
              'marketing.advertising.negative_targeting',
              'marketing.advertising.profiling',
              'marketing.advertising.serving',
              'marketing.advertising.third_party',
              'marketing.advertising.third_party.targeted',
              'marketing.communications',
              'marketing.communications.email',
              'marketing.communications.sms'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'marketing.advertising'
          THEN COALESCE(
            cw_purpose IN (
              'marketing.advertising',
              'marketing.advertising.first_party',
              'marketing.advertising.first_party.contextual',
              'marketing.advertising.first_party.targeted',
              'marketing.advertising.frequency_capping',
              'marketing.advertising.negative_targeting',
              'marketing.advertising.profiling',
              'marketing.advertising.serving',
              'marketing.advertising.third_party',
              'marketing.advertising.third_party.targeted'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'marketing.advertising.first_party'
          THEN COALESCE(
            cw_purpose IN (
              'marketing.advertising.first_party',
              'marketing.advertising.first_party.contextual',
              'marketing.advertising.first_party.targeted'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'marketing.advertising.first_party.contextual'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.first_party.contextual'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.first_party.targeted'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.first_party.targeted'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.frequency_capping'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.frequency_capping'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.negative_targeting'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.negative_targeting'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.profiling'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.profiling'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.serving'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.serving'), FALSE)
          WHEN cw_collected_for = 'marketing.advertising.third_party'
          THEN COALESCE(
            cw_purpose IN (
              'marketing.advertising.third_party',
              'marketing.advertising.third_party.targeted'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'marketing.advertising.third_party.targeted'
          THEN COALESCE(cw_purpose IN ('marketing.advertising.third_party.targeted'), FALSE)
          WHEN cw_collected_for = 'marketing.communications'
          THEN COALESCE(
            cw_purpose IN (
              'marketing.communications',
              'marketing.communications.email',
              'marketing.communications.sms'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'marketing.communications.email'
          THEN COALESCE(cw_purpose IN ('marketing.communications.email'), FALSE)
          WHEN cw_collected_for = 'marketing.communications.sms'
          THEN COALESCE(cw_purpose IN ('marketing.communications.sms'), FALSE)
          WHEN cw_collected_for = 'merger_acquisition'
          THEN COALESCE(cw_purpose IN ('merger_acquisition'), FALSE)
          WHEN cw_collected_for = 'operations'
          THEN COALESCE(cw_purpose IN ('operations'), FALSE)
          WHEN cw_collected_for = 'personalize'
          THEN COALESCE(
            cw_purpose IN (
              'personalize',
              'personalize.content',
              'personalize.content.limited',
              'personalize.content.profiled',
              'personalize.content.profiling',
              'personalize.profiling',
              'personalize.system'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'personalize.content'
          THEN COALESCE(
            cw_purpose IN (
              'personalize.content',
              'personalize.content.limited',
              'personalize.content.profiled',
              'personalize.content.profiling'
            ),
            FALSE
          )
          WHEN cw_collected_for = 'personalize.content.limited'
          THEN COALESCE(cw_purpose IN ('personalize.content.limited'), FALSE)
          WHEN cw_collected_for = 'personalize.content.profiled'
          THEN COALESCE(cw_purpose IN ('personalize.content.profiled'), FALSE)
          WHEN cw_collected_for = 'personalize.content.profiling'
          THEN COALESCE(cw_purpose IN ('personalize.content.profiling'), FALSE)
          WHEN cw_collected_for = 'personalize.profiling'
          THEN COALESCE(cw_purpose IN ('personalize.profiling'), FALSE)
          WHEN cw_collected_for = 'personalize.system'
          THEN COALESCE(cw_purpose IN ('personalize.system'), FALSE)
          WHEN cw_collected_for = 'residual_backup'
          THEN COALESCE(cw_purpose IN ('residual_backup'), FALSE)
          WHEN cw_collected_for = 'sales'
          THEN COALESCE(cw_purpose IN ('sales'), FALSE)
          WHEN cw_collected_for = 'third_party_sharing'
          THEN COALESCE(
            cw_purpose IN ('third_party_sharing', 'third_party_sharing.legal_obligation'),
            FALSE
          )
          WHEN cw_collected_for = 'third_party_sharing.legal_obligation'
          THEN COALESCE(cw_purpose IN ('third_party_sharing.legal_obligation'), FALSE)
          WHEN cw_collected_for = 'train_ai_system'
          THEN COALESCE(cw_purpose IN ('train_ai_system'), FALSE)
          ELSE FALSE
        END
        THEN 'context.original_purpose contradicts collected_for and purpose'
      END
    ) AS cw_error,
    CASE
      WHEN NOT cw_collected_for IS NULL
      THEN CASE
        WHEN cw_collected_for = 'analytics'
        THEN COALESCE(
          cw_purpose IN (
            'analytics',
            'analytics.reporting',
            'analytics.reporting.ad_performance',
            'analytics.reporting.campaign_insights',
            'analytics.reporting.content_performance',
            'analytics.reporting.system',
            'analytics.reporting.system.performance',
            'analytics.reporting.visitor_regions',
            'analytics.research'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'analytics.reporting'
        THEN COALESCE(
          cw_purpose IN (
            'analytics.reporting',
            'analytics.reporting.ad_performance',
            'analytics.reporting.campaign_insights',
            'analytics.reporting.content_performance',
            'analytics.reporting.system',
            'analytics.reporting.system.performance',
            'analytics.reporting.visitor_regions'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'analytics.reporting.ad_performance'
        THEN COALESCE(cw_purpose IN ('analytics.reporting.ad_performance'), FALSE)
        WHEN cw_collected_for = 'analytics.reporting.campaign_insights'
        THEN COALESCE(cw_purpose IN ('analytics.reporting.campaign_insights'), FALSE)
        WHEN cw_collected_for = 'analytics.reporting.content_performance'
        THEN COALESCE(cw_purpose IN ('analytics.reporting.content_performance'), FALSE)
        WHEN cw_collected_for = 'analytics.reporting.system'
        THEN COALESCE(
          cw_purpose IN ('analytics.reporting.system', 'analytics.reporting.system.performance'),
          FALSE
        )
        WHEN cw_collected_for = 'analytics.reporting.system.performance'
        THEN COALESCE(cw_purpose IN ('analytics.reporting.system.performance'), FALSE)
        WHEN cw_collected_for = 'analytics.reporting.visitor_regions'
        THEN COALESCE(cw_purpose IN ('analytics.reporting.visitor_regions'), FALSE)
        WHEN cw_collected_for = 'analytics.research'
        THEN COALESCE(cw_purpose IN ('analytics.research'), FALSE)
        WHEN cw_collected_for = 'collect'
        THEN COALESCE(cw_purpose IN ('collect'), FALSE)
        WHEN cw_collected_for = 'employment'
        THEN COALESCE(cw_purpose IN ('employment', 'employment.recruitment'), FALSE)
        WHEN cw_collected_for = 'employment.recruitment'
        THEN COALESCE(cw_purpose IN ('employment.recruitment'), FALSE)
        WHEN cw_collected_for = 'essential'
        THEN COALESCE(
          cw_purpose IN (
            'essential',
            'essential.fraud_detection',
            'essential.investigation',
            'essential.legal_obligation',
            'essential.safety',
            'essential.service',
            'essential.service.authentication',
            'essential.service.contact',
            'essential.service.notifications',
            'essential.service.notifications.email',
            'essential.service.notifications.sms',
            'essential.service.operations',
            'essential.service.operations.improve',
            'essential.service.operations.support',
            'essential.service.payment_processing',
            'essential.service.security',
            'essential.service.upgrades',
            'essential.terms_enforcement',
            'residual_backup'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'essential.fraud_detection'
        THEN COALESCE(cw_purpose IN ('essential.fraud_detection'), FALSE)
        WHEN cw_collected_for = 'essential.investigation'
        THEN COALESCE(cw_purpose IN ('essential.investigation'), FALSE)
        WHEN cw_collected_for = 'essential.legal_obligation'
        THEN COALESCE(cw_purpose IN ('essential.legal_obligation'), FALSE)
        WHEN cw_collected_for = 'essential.safety'
        THEN COALESCE(cw_purpose IN ('essential.safety'), FALSE)
        WHEN cw_collected_for = 'essential.service'
        THEN COALESCE(
          cw_purpose IN (
            'essential.service',
            'essential.service.authentication',
            'essential.service.contact',
            'essential.service.notifications',
            'essential.service.notifications.email',
            'essential.service.notifications.sms',
            'essential.service.operations',
            'essential.service.operations.improve',
            'essential.service.operations.support',
            'essential.service.payment_processing',
            'essential.service.security',
            'essential.service.upgrades',
            'residual_backup'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'essential.service.authentication'
        THEN COALESCE(cw_purpose IN ('essential.service.authentication'), FALSE)
        WHEN cw_collected_for = 'essential.service.contact'
        THEN COALESCE(cw_purpose IN ('essential.service.contact'), FALSE)
        WHEN cw_collected_for = 'essential.service.notifications'
        THEN COALESCE(
          cw_purpose IN (
            'essential.service.notifications',
            'essential.service.notifications.email',
            'essential.service.notifications.sms'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'essential.service.notifications.email'
        THEN COALESCE(cw_purpose IN ('essential.service.notifications.email'), FALSE)
        WHEN cw_collected_for = 'essential.service.notifications.sms'
        THEN COALESCE(cw_purpose IN ('essential.service.notifications.sms'), FALSE)
        WHEN cw_collected_for = 'essential.service.operations'
        THEN COALESCE(
          cw_purpose IN (
            'essential.service.operations',
            'essential.service.operations.improve',
            'essential.service.operations.support',
            'residual_backup'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'essential.service.operations.improve'
        THEN COALESCE(cw_purpose IN ('essential.service.operations.improve'), FALSE)
        WHEN cw_collected_for = 'essential.service.operations.support'
        THEN COALESCE(cw_purpose IN ('essential.service.operations.support'), FALSE)
        WHEN cw_collected_for = 'essential.service.payment_processing'
        THEN COALESCE(cw_purpose IN ('essential.service.payment_processing'), FALSE)
        WHEN cw_collected_for = 'essential.service.security'
        THEN COALESCE(cw_purpose IN ('essential.service.security'), FALSE)
        WHEN cw_collected_for = 'essential.service.upgrades'
        THEN COALESCE(cw_purpose IN ('essential.service.upgrades'), FALSE)
        WHEN cw_collected_for = 'essential.terms_enforcement'
        THEN COALESCE(cw_purpose IN ('essential.terms_enforcement'), FALSE)
        WHEN cw_collected_for = 'finance'
        THEN COALESCE(cw_purpose IN ('finance'), FALSE)
        WHEN cw_collected_for = 'functional'
        THEN COALESCE(
          cw_purpose IN (
            'functional',
            'functional.service',
            'functional.service.improve',
            'functional.storage',
            'functional.storage.privacy_preferences'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'functional.service'
        THEN COALESCE(cw_purpose IN ('functional.service', 'functional.service.improve'), FALSE)
        WHEN cw_collected_for = 'functional.service.improve'
        THEN COALESCE(cw_purpose IN ('functional.service.improve'), FALSE)
        WHEN cw_collected_for = 'functional.storage'
        THEN COALESCE(
          cw_purpose IN ('functional.storage', 'functional.storage.privacy_preferences'),
          FALSE
        )
        WHEN cw_collected_for = 'functional.storage.privacy_preferences'
        THEN COALESCE(cw_purpose IN ('functional.storage.privacy_preferences'), FALSE)
        WHEN cw_collected_for = 'marketing'
        THEN COALESCE(
          cw_purpose IN (
            'marketing',
            'marketing.advertising',
            'marketing.advertising.first_party',
            'marketing.advertising.first_party.contextual',
            'marketing.advertising.first_party.targeted',
            'marketing.advertising.frequency_capping',
            'marketing.advertising.negative_targeting',
            'marketing.advertising.profiling',
            'marketing.advertising.serving',
            'marketing.advertising.third_party',
            'marketing.advertising.third_party.targeted',
            'marketing.communications',
            'marketing.communications.email',
            'marketing.communications.sms'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'marketing.advertising'
        THEN COALESCE(
          cw_purpose IN (
            'marketing.advertising',
            'marketing.advertising.first_party',
            'marketing.advertising.first_party.contextual',
            'marketing.advertising.first_party.targeted',
            'marketing.advertising.frequency_capping',
            'marketing.advertising.negative_targeting',
            'marketing.advertising.profiling',
            'marketing.advertising.serving',
            'marketing.advertising.third_party',
            'marketing.advertising.third_party.targeted'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'marketing.advertising.first_party'
        THEN COALESCE(
          cw_purpose IN (
            'marketing.advertising.first_party',
            'marketing.advertising.first_party.contextual',
            'marketing.advertising.first_party.targeted'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'marketing.advertising.first_party.contextual'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.first_party.contextual'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.first_party.targeted'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.first_party.targeted'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.frequency_capping'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.frequency_capping'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.negative_targeting'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.negative_targeting'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.profiling'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.profiling'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.serving'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.serving'), FALSE)
        WHEN cw_collected_for = 'marketing.advertising.third_party'
        THEN COALESCE(
          cw_purpose IN (
            'marketing.advertising.third_party',
            'marketing.advertising.third_party.targeted'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'marketing.advertising.third_party.targeted'
        THEN COALESCE(cw_purpose IN ('marketing.advertising.third_party.targeted'), FALSE)
        WHEN cw_collected_for = 'marketing.communications'
        THEN COALESCE(
          cw_purpose IN (
            'marketing.communications',
            'marketing.communications.email',
            'marketing.communications.sms'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'marketing.communications.email'
        THEN COALESCE(cw_purpose IN ('marketing.communications.email'), FALSE)
        WHEN cw_collected_for = 'marketing.communications.sms'
        THEN COALESCE(cw_purpose IN ('marketing.communications.sms'), FALSE)
        WHEN cw_collected_for = 'merger_acquisition'
        THEN COALESCE(cw_purpose IN ('merger_acquisition'), FALSE)
        WHEN cw_collected_for = 'operations'
        THEN COALESCE(cw_purpose IN ('operations'), FALSE)
        WHEN cw_collected_for = 'personalize'
        THEN COALESCE(
          cw_purpose IN (
            'personalize',
            'personalize.content',
            'personalize.content.limited',
            'personalize.content.profiled',
            'personalize.content.profiling',
            'personalize.profiling',
            'personalize.system'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'personalize.content'
        THEN COALESCE(
          cw_purpose IN (
            'personalize.content',
            'personalize.content.limited',
            'personalize.content.profiled',
            'personalize.content.profiling'
          ),
          FALSE
        )
        WHEN cw_collected_for = 'personalize.content.limited'
        THEN COALESCE(cw_purpose IN ('personalize.content.limited'), FALSE)
        WHEN cw_collected_for = 'personalize.content.profiled'
        THEN COALESCE(cw_purpose IN ('personalize.content.profiled'), FALSE)
        WHEN cw_collected_for = 'personalize.content.profiling'
        THEN COALESCE(cw_purpose IN ('personalize.content.profiling'), FALSE)
        WHEN cw_collected_for = 'personalize.profiling'
        THEN COALESCE(cw_purpose IN ('personalize.profiling'), FALSE)
        WHEN cw_collected_for = 'personalize.system'
        THEN COALESCE(cw_purpose IN ('personalize.system'), FALSE)
        WHEN cw_collected_for = 'residual_backup'
        THEN COALESCE(cw_purpose IN ('residual_backup'), FALSE)
        WHEN cw_collected_for = 'sales'
        THEN COALESCE(cw_purpose IN ('sales'), FALSE)
        WHEN cw_collected_for = 'third_party_sharing'
        THEN COALESCE(
          cw_purpose IN ('third_party_sharing', 'third_party_sharing.legal_obligation'),
          FALSE
        )
        WHEN cw_collected_for = 'third_party_sharing.legal_obligation'
        THEN COALESCE(cw_purpose IN ('third_party_sharing.legal_obligation'), FALSE)
        WHEN cw_collected_for = 'train_ai_system'
        THEN COALESCE(cw_purpose IN ('train_ai_system'), FALSE)
        ELSE FALSE
      END
      ELSE cwg_original_purpose
    END AS cwf_original_purpose
  FROM cw_shapes
), cw_known AS (
  SELECT
    *,
    cw_error IS NULL AS cw_ok
  FROM cw_checked
), cw_flags AS (
  SELECT
    *,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(cw_event IN ('paid_subscription', 'sign_up', 'trial_subscription'), FALSE)
    AND COALESCE(cw_method IN ('provided'), FALSE)
    AND TRUE AS cw_match_3,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_3,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(cw_purpose IN ('essential.service.payment_processing'), FALSE)
    AND COALESCE(cw_event IN ('paid_subscription'), FALSE)
    AND COALESCE(cw_method IN ('provided'), FALSE)
    AND TRUE AS cw_match_4,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_4,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_method IN ('automatic'), FALSE)
    AND TRUE AS cw_match_6,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_6,
    cw_ok
    AND cw_action = 'use'
    AND COALESCE(
      cw_purpose IN (
        'analytics.research',
        'essential.service',
        'essential.service.authentication',
        'essential.service.contact',
        'essential.service.notifications',
        'essential.service.notifications.email',
        'essential.service.notifications.sms',
        'essential.service.operations',
        'essential.service.operations.improve',
        'essential.service.operations.support',
        'essential.service.payment_processing',
        'essential.service.security',
        'essential.service.upgrades',
        'functional.service.improve',
        'residual_backup'
      ),
      FALSE
    )
    AND TRUE AS cw_match_7,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_7,
    cw_ok
    AND cw_action = 'use'
    AND COALESCE(
      (
        cw_purpose IN ('analytics.reporting')
        OR STARTS_WITH(cw_purpose, 'analytics.reporting.')
      ),
      FALSE
    )
    AND TRUE AS cw_match_8,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_8,
    cw_ok
    AND cw_action = 'notify'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(
      (
        cw_purpose IN ('essential.service.notifications')
        OR STARTS_WITH(cw_purpose, 'essential.service.notifications.')
      ),
      FALSE
    )
    AND COALESCE(cw_event IN ('service_announcement'), FALSE)
    AND COALESCE(cw_channel IN ('account_email', 'email', 'privacy_email'), FALSE)
    AND TRUE AS cw_match_9,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_9,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_right IN ('deactivation'), FALSE)
    AND TRUE AS cw_match_10,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_10,
    cw_ok
    AND cw_action = 'use'
    AND COALESCE(cw_purpose IN ('marketing.communications.email'), FALSE)
    AND TRUE AS cw_match_12,
    COALESCE((
      (
        cwf_consent
      ) AND (
        NOT (
          cwf_opted_out
        )
      )
    ), FALSE) AS cw_holds_12,
    cw_ok
    AND cw_action = 'notify'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(cw_purpose IN ('marketing.communications.email'), FALSE)
    AND COALESCE(cw_event IN ('newsletter_subscription'), FALSE)
    AND COALESCE(cw_channel IN ('account_email', 'email', 'privacy_email'), FALSE)
    AND TRUE AS cw_match_13,
    COALESCE((
      (
        cwf_consent
      ) AND (
        NOT (
          cwf_opted_out
        )
      )
    ), FALSE) AS cw_holds_13,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_channel IN ('email_link'), FALSE)
    AND COALESCE(cw_right IN ('unsubscribe'), FALSE)
    AND TRUE AS cw_match_16,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_16,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_method IN ('automatic'), FALSE)
    AND TRUE AS cw_match_17,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_17,
    cw_ok AND cw_action = 'retain' AND TRUE AS cw_match_18,
    COALESCE((
      NOT (
        cwf_linked
      )
    ), FALSE) AS cw_holds_18,
    cw_ok
    AND cw_action = 'use'
    AND COALESCE(cw_purpose IN ('essential.service.operations.support'), FALSE)
    AND TRUE AS cw_match_19,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_19,
    cw_ok
    AND cw_action = 'use'
    AND COALESCE(cw_purpose IN ('analytics.reporting.visitor_regions'), FALSE)
    AND TRUE AS cw_match_20,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_20,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(
      cw_purpose IN (
        'essential.service',
        'essential.service.authentication',
        'essential.service.contact',
        'essential.service.notifications',
        'essential.service.notifications.email',
        'essential.service.notifications.sms',
        'essential.service.operations',
        'essential.service.operations.improve',
        'essential.service.operations.support',
        'essential.service.payment_processing',
        'essential.service.security',
        'essential.service.upgrades',
        'residual_backup'
      ),
      FALSE
    )
    AND COALESCE(cw_method IN ('cookies'), FALSE)
    AND TRUE AS cw_match_21,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_21,
    cw_ok
    AND cw_action = 'retain'
    AND (
      COALESCE(cw_until IN ('session_end'), FALSE) AND COALESCE(cw_days, 0) <= 0
    ) AS cw_match_22,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_22,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_method IN ('cookies'), FALSE)
    AND TRUE AS cw_match_23,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_23,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(
      (
        cw_purpose IN ('analytics.reporting')
        OR STARTS_WITH(cw_purpose, 'analytics.reporting.')
      ),
      FALSE
    )
    AND COALESCE(cw_method IN ('third_party'), FALSE)
    AND TRUE AS cw_match_24,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_24,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('tracking_service'), FALSE)
    AND COALESCE(
      (
        cw_purpose IN ('analytics.reporting')
        OR STARTS_WITH(cw_purpose, 'analytics.reporting.')
      ),
      FALSE
    )
    AND TRUE AS cw_match_25,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_25,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(
      (
        cw_purpose IN ('analytics.reporting')
        OR STARTS_WITH(cw_purpose, 'analytics.reporting.')
      ),
      FALSE
    )
    AND COALESCE(cw_method IN ('third_party'), FALSE)
    AND TRUE AS cw_match_26,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_26,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_channel IN ('flash_settings'), FALSE)
    AND COALESCE(cw_right IN ('opt_out', 'opt_out_of_sale'), FALSE)
    AND TRUE AS cw_match_29,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_29,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('authority'), FALSE)
    AND COALESCE(cw_purpose IN ('essential.legal_obligation', 'essential.terms_enforcement'), FALSE)
    AND TRUE AS cw_match_31,
    COALESCE((
      (
        cwf_legal_requirement
      ) OR (
        cwf_terms_violation
      )
    ), FALSE) AS cw_holds_31,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('partner'), FALSE)
    AND TRUE AS cw_match_32,
    COALESCE((
      cwf_aggregated
    ), FALSE) AS cw_holds_32,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(cw_purpose IN ('marketing.advertising.third_party.targeted'), FALSE)
    AND COALESCE(cw_method IN ('third_party'), FALSE)
    AND TRUE AS cw_match_34,
    COALESCE((
      NOT (
        cwf_opted_out
      )
    ), FALSE) AS cw_holds_34,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('ad_vendor'), FALSE)
    AND COALESCE(cw_purpose IN ('marketing.advertising.third_party.targeted'), FALSE)
    AND TRUE AS cw_match_35,
    COALESCE((
      NOT (
        cwf_opted_out
      )
    ), FALSE) AS cw_holds_35,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_channel IN ('google_opt_out_page'), FALSE)
    AND COALESCE(cw_right IN ('opt_out', 'opt_out_of_sale'), FALSE)
    AND TRUE AS cw_match_38,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_38,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('partner'), FALSE)
    AND COALESCE((
      cw_purpose IN ('marketing') OR STARTS_WITH(cw_purpose, 'marketing.')
    ), FALSE)
    AND TRUE AS cw_match_40,
    COALESCE((
      (
        cwf_consent
      ) AND (
        NOT (
          cwf_opted_out
        )
      )
    ), FALSE) AS cw_holds_40,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_channel IN ('consent_form', 'privacy_email'), FALSE)
    AND COALESCE(cw_right IN ('opt_out', 'opt_out_of_sale'), FALSE)
    AND TRUE AS cw_match_43,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_43,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(
      cw_recipient IN (
        'authority',
        'chat_provider',
        'email_provider',
        'service_provider',
        'tracking_service'
      ),
      FALSE
    )
    AND COALESCE(
      cw_purpose IN (
        'essential.fraud_detection',
        'essential.investigation',
        'essential.safety',
        'essential.terms_enforcement'
      ),
      FALSE
    )
    AND TRUE AS cw_match_44,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_44,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('acquirer'), FALSE)
    AND COALESCE(cw_purpose IN ('merger_acquisition'), FALSE)
    AND COALESCE(cw_event IN ('merger'), FALSE)
    AND TRUE AS cw_match_45,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_45,
    cw_ok
    AND cw_action = 'notify'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(cw_event IN ('merger'), FALSE)
    AND COALESCE(
      cw_channel IN ('account_email', 'email', 'home_page_notice', 'privacy_email', 'web_notice'),
      FALSE
    )
    AND TRUE AS cw_match_46,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_46,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('chat_provider'), FALSE)
    AND COALESCE(cw_purpose IN ('essential.service.operations.support'), FALSE)
    AND TRUE AS cw_match_47,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_47,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(
      cw_recipient IN ('chat_provider', 'email_provider', 'service_provider', 'tracking_service'),
      FALSE
    )
    AND COALESCE(cw_purpose IN ('essential.service.payment_processing'), FALSE)
    AND TRUE AS cw_match_48,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_48,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('email_provider'), FALSE)
    AND COALESCE(
      (
        cw_purpose IN ('essential.service.notifications', 'marketing.communications.email')
        OR STARTS_WITH(cw_purpose, 'essential.service.notifications.')
      ),
      FALSE
    )
    AND TRUE AS cw_match_49,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_49,
    cw_ok
    AND cw_action = 'exercise'
    AND COALESCE(cw_channel IN ('phone', 'postal_mail'), FALSE)
    AND COALESCE(cw_right IN ('access', 'correction', 'deactivation'), FALSE)
    AND TRUE AS cw_match_50,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_50,
    cw_ok
    AND cw_action = 'collect'
    AND COALESCE(
      (
        cw_purpose IN ('marketing.advertising.first_party')
        OR STARTS_WITH(cw_purpose, 'marketing.advertising.first_party.')
      ),
      FALSE
    )
    AND COALESCE(cw_method IN ('third_party'), FALSE)
    AND TRUE AS cw_match_53,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_53,
    cw_ok
    AND cw_action = 'share'
    AND COALESCE(cw_recipient IN ('forum_users', 'public'), FALSE)
    AND COALESCE(
      (
        cw_purpose IN ('marketing.advertising.first_party')
        OR STARTS_WITH(cw_purpose, 'marketing.advertising.first_party.')
      ),
      FALSE
    )
    AND TRUE AS cw_match_54,
    COALESCE((
      cwf_consent
    ), FALSE) AS cw_holds_54,
    cw_ok
    AND cw_action = 'notify'
    AND COALESCE(cw_subject IN ('customer'), FALSE)
    AND COALESCE(cw_event IN ('policy_change'), FALSE)
    AND COALESCE(cw_channel IN ('account_email', 'home_page_notice'), FALSE)
    AND TRUE AS cw_match_57,
    COALESCE((
      TRUE
    ), FALSE) AS cw_holds_57,
    cw_ok
    AND COALESCE(cw_action IN ('collect', 'retain', 'sell', 'share', 'use'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.account',
        'user.account.settings',
        'user.account.username',
        'user.authorization',
        'user.authorization.biometric',
        'user.authorization.credentials',
        'user.authorization.password',
        'user.behavior',
        'user.behavior.browsing_history',
        'user.behavior.media_consumption',
        'user.behavior.page_requests',
        'user.behavior.purchase_history',
        'user.behavior.search_history',
        'user.biometric',
        'user.biometric.fingerprint',
        'user.biometric.health',
        'user.biometric.retinal',
        'user.biometric.voice',
        'user.childrens',
        'user.contact',
        'user.contact.address',
        'user.contact.address.city',
        'user.contact.address.country',
        'user.contact.address.postal_code',
        'user.contact.address.state',
        'user.contact.address.street',
        'user.contact.email',
        'user.contact.fax_number',
        'user.contact.organization',
        'user.contact.phone_number',
        'user.contact.url',
        'user.content',
        'user.content.private',
        'user.content.public',
        'user.content.self_image',
        'user.content.testimonial',
        'user.criminal_history',
        'user.demographic',
        'user.demographic.age_range',
        'user.demographic.date_of_birth',
        'user.demographic.gender',
        'user.demographic.language',
        'user.demographic.marital_status',
        'user.demographic.political_opinion',
        'user.demographic.profile',
        'user.demographic.race_ethnicity',
        'user.demographic.religious_belief',
        'user.demographic.sexual_orientation',
        'user.device',
        'user.device.cookie',
        'user.device.cookie_id',
        'user.device.device_id',
        'user.device.ip_address',
        'user.financial',
        'user.financial.bank_account',
        'user.financial.credit_card',
        'user.government_id',
        'user.government_id.birth_certificate',
        'user.government_id.drivers_license_number',
        'user.government_id.immigration',
        'user.government_id.national_identification_number',
        'user.government_id.passport_number',
        'user.government_id.vehicle_registration',
        'user.health_and_medical',
        'user.health_and_medical.genetic',
        'user.health_and_medical.insurance_beneficiary_id',
        'user.health_and_medical.record_id',
        'user.job_title',
        'user.location',
        'user.location.imprecise',
        'user.location.precise',
        'user.name',
        'user.name.first',
        'user.name.last',
        'user.payment',
        'user.privacy_preferences',
        'user.sensor',
        'user.social',
        'user.telemetry',
        'user.unique_id',
        'user.unique_id.pseudonymous',
        'user.user_sensor',
        'user.workplace',
        'user.workplace.demographics',
        'user.workplace.financials'
      ],
      FALSE
    )
    AND COALESCE((
      cwf_subject_age < 13
    ), FALSE) AS cw_forbids_0,
    cw_ok
    AND COALESCE(cw_action IN ('collect'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.contact',
        'user.contact.address',
        'user.contact.address.city',
        'user.contact.address.country',
        'user.contact.address.postal_code',
        'user.contact.address.state',
        'user.contact.address.street',
        'user.contact.email',
        'user.contact.fax_number',
        'user.contact.organization',
        'user.contact.phone_number',
        'user.contact.url',
        'user.financial',
        'user.financial.bank_account',
        'user.financial.credit_card',
        'user.government_id',
        'user.government_id.birth_certificate',
        'user.government_id.drivers_license_number',
        'user.government_id.immigration',
        'user.government_id.national_identification_number',
        'user.government_id.passport_number',
        'user.government_id.vehicle_registration',
        'user.name',
        'user.name.first',
        'user.name.last'
      ],
      FALSE
    )
    AND NOT (
      NOT cw_event IS NULL AND NOT COALESCE(cw_event IN ('site_visit'), FALSE)
    )
    AND COALESCE((
      TRUE
    ), FALSE)
    AND NOT COALESCE((
      cwf_consent
    ), FALSE) AS cw_forbids_2,
    cw_ok
    AND COALESCE(cw_action IN ('notify'), FALSE)
    AND COALESCE((
      cwf_deactivated
    ), FALSE) AS cw_forbids_11,
    cw_ok
    AND COALESCE(cw_action IN ('notify', 'use'), FALSE)
    AND NOT (
      NOT cw_purpose IS NULL
      AND NOT COALESCE(
        cw_purpose IN ('marketing', 'marketing.communications', 'marketing.communications.email'),
        FALSE
      )
    )
    AND COALESCE((
      cwf_opted_out
    ), FALSE) AS cw_forbids_15,
    cw_ok
    AND COALESCE(cw_action IN ('collect'), FALSE)
    AND COALESCE(cw_data && ARRAY['user', 'user.device', 'user.device.cookie_id'], FALSE)
    AND NOT (
      NOT cw_purpose IS NULL
      AND NOT COALESCE(
        (
          cw_purpose IN ('analytics', 'analytics.reporting')
          OR STARTS_WITH(cw_purpose, 'analytics.reporting.')
        ),
        FALSE
      )
    )
    AND NOT (
      NOT cw_method IS NULL AND NOT COALESCE(cw_method IN ('third_party'), FALSE)
    )
    AND COALESCE((
      cwf_opted_out
    ), FALSE) AS cw_forbids_28,
    cw_ok
    AND COALESCE(cw_action IN ('collect', 'retain', 'sell', 'share', 'use'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.health_and_medical',
        'user.health_and_medical.genetic',
        'user.health_and_medical.insurance_beneficiary_id',
        'user.health_and_medical.record_id'
      ],
      FALSE
    )
    AND COALESCE((
      TRUE
    ), FALSE) AS cw_forbids_30,
    cw_ok
    AND COALESCE(cw_action IN ('sell', 'share', 'use'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.content',
        'user.content.testimonial',
        'user.name',
        'user.name.first',
        'user.name.last'
      ],
      FALSE
    )
    AND NOT (
      NOT cw_purpose IS NULL
      AND NOT COALESCE((
        cw_purpose IN ('marketing') OR STARTS_WITH(cw_purpose, 'marketing.')
      ), FALSE)
    )
    AND COALESCE((
      TRUE
    ), FALSE)
    AND NOT COALESCE((
      cwf_consent
    ), FALSE) AS cw_forbids_33,
    cw_ok
    AND COALESCE(cw_action IN ('collect', 'sell', 'share'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.behavior',
        'user.behavior.page_requests',
        'user.device',
        'user.device.cookie_id'
      ],
      FALSE
    )
    AND NOT (
      NOT cw_purpose IS NULL
      AND NOT COALESCE(
        cw_purpose IN (
          'marketing',
          'marketing.advertising',
          'marketing.advertising.third_party',
          'marketing.advertising.third_party.targeted'
        ),
        FALSE
      )
    )
    AND COALESCE((
      cwf_opted_out
    ), FALSE) AS cw_forbids_37,
    cw_ok
    AND COALESCE(cw_action IN ('sell', 'share'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.account',
        'user.account.settings',
        'user.account.username',
        'user.contact',
        'user.contact.address',
        'user.contact.address.city',
        'user.contact.address.country',
        'user.contact.address.postal_code',
        'user.contact.address.state',
        'user.contact.address.street',
        'user.contact.email',
        'user.contact.fax_number',
        'user.contact.organization',
        'user.contact.phone_number',
        'user.contact.url',
        'user.demographic',
        'user.demographic.age_range',
        'user.demographic.date_of_birth',
        'user.demographic.gender',
        'user.demographic.language',
        'user.demographic.marital_status',
        'user.demographic.political_opinion',
        'user.demographic.profile',
        'user.demographic.race_ethnicity',
        'user.demographic.religious_belief',
        'user.demographic.sexual_orientation',
        'user.financial',
        'user.financial.bank_account',
        'user.financial.credit_card',
        'user.government_id',
        'user.government_id.birth_certificate',
        'user.government_id.drivers_license_number',
        'user.government_id.immigration',
        'user.government_id.national_identification_number',
        'user.government_id.passport_number',
        'user.government_id.vehicle_registration',
        'user.name',
        'user.name.first',
        'user.name.last',
        'user.workplace',
        'user.workplace.demographics',
        'user.workplace.financials'
      ],
      FALSE
    )
    AND NOT (
      NOT cw_recipient IS NULL
      AND NOT COALESCE(
        cw_recipient IN (
          'ad_vendor',
          'advertiser',
          'chat_provider',
          'email_provider',
          'forum_users',
          'partner',
          'public',
          'service_provider',
          'tracking_service'
        ),
        FALSE
      )
    )
    AND NOT (
      NOT cw_purpose IS NULL
      AND NOT COALESCE((
        cw_purpose IN ('marketing') OR STARTS_WITH(cw_purpose, 'marketing.')
      ), FALSE)
    )
    AND COALESCE((
      TRUE
    ), FALSE)
    AND NOT COALESCE((
      (
        cwf_consent
      ) OR (
        cwf_aggregated
      )
    ), FALSE) AS cw_forbids_39,
    cw_ok
    AND COALESCE(cw_action IN ('sell', 'share'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.contact',
        'user.contact.email',
        'user.name',
        'user.name.first',
        'user.name.last'
      ],
      FALSE
    )
    AND NOT (
      NOT cw_recipient IS NULL AND NOT COALESCE(cw_recipient IN ('partner'), FALSE)
    )
    AND COALESCE((
      cwf_opted_out
    ), FALSE) AS cw_forbids_42,
    cw_ok
    AND COALESCE(cw_action IN ('retain'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.financial',
        'user.financial.bank_account',
        'user.financial.credit_card'
      ],
      FALSE
    ) AS cw_guards_5,
    (
      cw_ok
      AND COALESCE(cw_action IN ('retain'), FALSE)
      AND COALESCE(
        cw_data && ARRAY[
          'user',
          'user.financial',
          'user.financial.bank_account',
          'user.financial.credit_card'
        ],
        FALSE
      )
    )
    AND COALESCE(cwf_encrypted, TRUE) = FALSE AS cw_breach_5,
    cw_ok
    AND COALESCE(cw_action IN ('collect', 'sell', 'share'), FALSE)
    AND COALESCE(cw_data && ARRAY['user', 'user.financial', 'user.financial.credit_card'], FALSE) AS cw_guards_51,
    (
      cw_ok
      AND COALESCE(cw_action IN ('collect', 'sell', 'share'), FALSE)
      AND COALESCE(cw_data && ARRAY['user', 'user.financial', 'user.financial.credit_card'], FALSE)
    )
    AND COALESCE(cwf_encrypted, TRUE) = FALSE AS cw_breach_51,
    cw_ok
    AND COALESCE(cw_action IN ('collect', 'retain', 'sell', 'share'), FALSE)
    AND COALESCE(
      cw_data && ARRAY[
        'user',
        'user.account',
        'user.account.settings',
        'user.account.username',
        'user.authorization',
        'user.authorization.biometric',
        'user.authorization.credentials',
        'user.authorization.password',
        'user.behavior',
        'user.behavior.browsing_history',
        'user.behavior.media_consumption',
        'user.behavior.page_requests',
        'user.behavior.purchase_history',
        'user.behavior.search_history',
        'user.biometric',
        'user.biometric.fingerprint',
        'user.biometric.health',
        'user.biometric.retinal',
        'user.biometric.voice',
        'user.childrens',
        'user.contact',
        'user.contact.address',
        'user.contact.address.city',
        'user.contact.address.country',
        'user.contact.address.postal_code',
        'user.contact.address.state',
        'user.contact.address.street',
        'user.contact.email',
        'user.contact.fax_number',
        'user.contact.organization',
        'user.contact.phone_number',
        'user.contact.url',
        'user.content',
        'user.content.private',
        'user.content.public',
        'user.content.self_image',
        'user.content.testimonial',
        'user.criminal_history',
        'user.demographic',
        'user.demographic.age_range',
        'user.demographic.date_of_birth',
        'user.demographic.gender',
        'user.demographic.language',
        'user.demographic.marital_status',
        'user.demographic.political_opinion',
        'user.demographic.profile',
        'user.demographic.race_ethnicity',
        'user.demographic.religious_belief',
        'user.demographic.sexual_orientation',
        'user.device',
        'user.device.cookie',
        'user.device.cookie_id',
        'user.device.device_id',
        'user.device.ip_address',
        'user.financial',
        'user.financial.bank_account',
        'user.financial.credit_card',
        'user.government_id',
        'user.government_id.birth_certificate',
        'user.government_id.drivers_license_number',
        'user.government_id.immigration',
        'user.government_id.national_identification_number',
        'user.government_id.passport_number',
        'user.government_id.vehicle_registration',
        'user.health_and_medical',
        'user.health_and_medical.genetic',
        'user.health_and_medical.insurance_beneficiary_id',
        'user.health_and_medical.record_id',
        'user.job_title',
        'user.location',
        'user.location.imprecise',
        'user.location.precise',
        'user.name',
        'user.name.first',
        'user.name.last',
        'user.payment',
        'user.privacy_preferences',
        'user.sensor',
        'user.social',
        'user.telemetry',
        'user.unique_id',
        'user.unique_id.pseudonymous',
        'user.user_sensor',
        'user.workplace',
        'user.workplace.demographics',
        'user.workplace.financials'
      ],
      FALSE
    ) AS cw_guards_52,
    FALSE AS cw_breach_52,
    cw_ok
    AND cw_action <> 'notify'
    AND COALESCE(cw_event IN ('service_announcement'), FALSE) AS cw_notice_9,
    cw_ok
    AND cw_action <> 'notify'
    AND COALESCE(cw_event IN ('newsletter_subscription'), FALSE) AS cw_notice_13,
    (
      cw_ok AND cw_action <> 'notify' AND COALESCE(cw_event IN ('merger'), FALSE)
    )
    AND NOT COALESCE((
      cwf_notice_given
    ), FALSE) AS cw_before_46,
    cw_ok AND cw_action <> 'notify' AND COALESCE(cw_event IN ('policy_change'), FALSE) AS cw_notice_57
  FROM cw_known
), cw_cover AS (
  SELECT
    *,
    ARRAY(SELECT
      cw_c
    FROM UNNEST(cw_data) AS _t2(cw_c)
    WHERE
      NOT (
        (
          (
            cw_match_3 AND cw_holds_3
          )
          AND COALESCE(
            (
              cw_c IN (
                'user.contact.email',
                'user.contact.phone_number',
                'user.name',
                'user.workplace.demographics',
                'user.workplace.financials'
              )
              OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_4 AND cw_holds_4
          )
          AND COALESCE(cw_c IN ('user.financial.bank_account', 'user.financial.credit_card'), FALSE)
        )
        OR (
          (
            cw_match_6 AND cw_holds_6
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.ip_address'), FALSE)
        )
        OR (
          (
            cw_match_7 AND cw_holds_7
          )
          AND COALESCE((
            cw_c IN ('user') OR STARTS_WITH(cw_c, 'user.')
          ), FALSE)
        )
        OR (
          (
            cw_match_8 AND cw_holds_8
          )
          AND COALESCE((
            cw_c IN ('user') OR STARTS_WITH(cw_c, 'user.')
          ), FALSE)
        )
        OR (
          (
            cw_match_12 AND cw_holds_12
          )
          AND COALESCE(
            (
              cw_c IN ('user.contact.email', 'user.name') OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_17 AND cw_holds_17
          )
          AND COALESCE(cw_c IN ('user.device.ip_address'), FALSE)
        )
        OR (
          (
            cw_match_18 AND cw_holds_18
          )
          AND COALESCE(cw_c IN ('user.device.ip_address'), FALSE)
        )
        OR (
          (
            cw_match_19 AND cw_holds_19
          )
          AND COALESCE(cw_c IN ('user.device.ip_address'), FALSE)
        )
        OR (
          (
            cw_match_20 AND cw_holds_20
          )
          AND COALESCE(cw_c IN ('user.device.ip_address'), FALSE)
        )
        OR (
          (
            cw_match_21 AND cw_holds_21
          )
          AND COALESCE(cw_c IN ('user.device.cookie'), FALSE)
        )
        OR (
          (
            cw_match_22 AND cw_holds_22
          )
          AND COALESCE(cw_c IN ('user.device.cookie'), FALSE)
        )
        OR (
          (
            cw_match_23 AND cw_holds_23
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_24 AND cw_holds_24
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_25 AND cw_holds_25
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_26 AND cw_holds_26
          )
          AND COALESCE(cw_c IN ('user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_31 AND cw_holds_31
          )
          AND COALESCE((
            cw_c IN ('user') OR STARTS_WITH(cw_c, 'user.')
          ), FALSE)
        )
        OR (
          (
            cw_match_32 AND cw_holds_32
          )
          AND COALESCE(
            (
              cw_c IN ('user.demographic', 'user.workplace.demographics')
              OR STARTS_WITH(cw_c, 'user.demographic.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_34 AND cw_holds_34
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_35 AND cw_holds_35
          )
          AND COALESCE(cw_c IN ('user.behavior.page_requests', 'user.device.cookie_id'), FALSE)
        )
        OR (
          (
            cw_match_40 AND cw_holds_40
          )
          AND COALESCE(
            (
              cw_c IN ('user.contact.email', 'user.name') OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_44 AND cw_holds_44
          )
          AND COALESCE((
            cw_c IN ('user') OR STARTS_WITH(cw_c, 'user.')
          ), FALSE)
        )
        OR (
          (
            cw_match_45 AND cw_holds_45
          )
          AND COALESCE((
            cw_c IN ('user') OR STARTS_WITH(cw_c, 'user.')
          ), FALSE)
        )
        OR (
          (
            cw_match_47 AND cw_holds_47
          )
          AND COALESCE(
            (
              cw_c IN ('user.contact.email', 'user.name') OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_48 AND cw_holds_48
          )
          AND COALESCE(
            (
              cw_c IN (
                'user.contact.address',
                'user.financial.bank_account',
                'user.financial.credit_card',
                'user.name'
              )
              OR STARTS_WITH(cw_c, 'user.contact.address.')
              OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_49 AND cw_holds_49
          )
          AND COALESCE(
            (
              cw_c IN ('user.contact.email', 'user.name') OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_53 AND cw_holds_53
          )
          AND COALESCE(
            (
              cw_c IN ('user.content.testimonial', 'user.name')
              OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
        OR (
          (
            cw_match_54 AND cw_holds_54
          )
          AND COALESCE(
            (
              cw_c IN ('user.content.testimonial', 'user.name')
              OR STARTS_WITH(cw_c, 'user.name.')
            ),
            FALSE
          )
        )
      )) AS cw_uncovered,
    (
      cw_match_9 AND cw_holds_9
    )
    OR (
      cw_match_10 AND cw_holds_10
    )
    OR (
      cw_match_13 AND cw_holds_13
    )
    OR (
      cw_match_16 AND cw_holds_16
    )
    OR (
      cw_match_29 AND cw_holds_29
    )
    OR (
      cw_match_38 AND cw_holds_38
    )
    OR (
      cw_match_43 AND cw_holds_43
    )
    OR (
      cw_match_46 AND cw_holds_46
    )
    OR (
      cw_match_50 AND cw_holds_50
    )
    OR (
      cw_match_57 AND cw_holds_57
    ) AS cw_covered_none,
    cw_ok AND (
      FALSE
    ) AS cw_outside
  FROM cw_flags
), cw_decided AS (
  SELECT
    *,
    CASE
      WHEN NOT cw_ok
      THEN 'error'
      WHEN cw_outside
      OR (
        cw_forbids_0
        OR cw_forbids_2
        OR cw_forbids_11
        OR cw_forbids_15
        OR cw_forbids_28
        OR cw_forbids_30
        OR cw_forbids_33
        OR cw_forbids_37
        OR cw_forbids_39
        OR cw_forbids_42
        OR cw_before_46
        OR cw_breach_5
        OR cw_breach_51
        OR cw_breach_52
      )
      OR NOT (
        CASE
          WHEN COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
          THEN cw_covered_none
          ELSE COALESCE(ARRAY_LENGTH(cw_uncovered, 1), 0) = 0
        END
      )
      THEN 'deny'
      ELSE 'allow'
    END AS decision
  FROM cw_cover
), cw_answers AS (
  SELECT
    cw_action,
    cw_actor,
    cw_bad,
    cw_basis,
    cw_channel,
    cw_collected_for,
    cw_data,
    cw_days,
    cw_event,
    cw_mechanism,
    cw_method,
    cw_place,
    cw_purpose,
    cw_recipient,
    cw_residence,
    cw_right,
    cw_source,
    cw_subject,
    cw_until,
    cwf_aggregated,
    cwf_consent,
    cwf_deactivated,
    cwf_encrypted,
    cwf_legal_requirement,
    cwf_linked,
    cwf_notice_given,
    cwf_opted_out,
    cwf_subject_age,
    cwf_terms_violation,
    cwg_original_purpose,
    decision AS decision,
    CASE
      WHEN decision = 'deny'
      THEN ARRAY(SELECT
        cw_c
      FROM UNNEST(ARRAY[
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_0
          THEN 'no-children'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_2
          THEN 'no-identifying-data-on-visit'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_11
          THEN 'deactivate-account.after'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_15
          THEN 'newsletter-unsubscribe'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_28
          THEN 'flash-cookie-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_30
          THEN 'no-phi'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_33
          THEN 'no-identifying-use-without-permission'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_37
          THEN 'google-ads-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_39
          THEN 'no-promotional-sharing'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_forbids_42
          THEN 'partner-sharing-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_3
            AND NOT cw_holds_3
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user.contact.email',
                  'user.contact.phone_number',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'sign-up'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_4
            AND NOT cw_holds_4
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.financial.bank_account', 'user.financial.credit_card'],
                FALSE
              )
            )
          )
          THEN 'payment-details'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_6
            AND NOT cw_holds_6
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.ip_address'],
                FALSE
              )
            )
          )
          THEN 'server-logs'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_7
            AND NOT cw_holds_7
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'general-purposes'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_8
            AND NOT cw_holds_8
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'anonymous-reporting'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_9
            AND NOT cw_holds_9
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'service-announcements'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_10
            AND NOT cw_holds_10
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'deactivate-account'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_12
            AND NOT cw_holds_12
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'newsletter'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_13
            AND NOT cw_holds_13
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'newsletter-delivery'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_16
            AND NOT cw_holds_16
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'newsletter-unsubscribe'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_17
            AND NOT cw_holds_17
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-addresses'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_18
            AND NOT cw_holds_18
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-not-linked'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_19
            AND NOT cw_holds_19
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-diagnostics'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_20
            AND NOT cw_holds_20
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-regions'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_21
            AND NOT cw_holds_21
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.cookie'], FALSE)
            )
          )
          THEN 'session-cookie'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_22
            AND NOT cw_holds_22
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.cookie'], FALSE)
            )
          )
          THEN 'session-cookie-lifetime'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_23
            AND NOT cw_holds_23
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'],
                FALSE
              )
            )
          )
          THEN 'aggregate-cookies'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_24
            AND NOT cw_holds_24
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'],
                FALSE
              )
            )
          )
          THEN 'third-party-tracking'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_25
            AND NOT cw_holds_25
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'],
                FALSE
              )
            )
          )
          THEN 'tracking-service'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_26
            AND NOT cw_holds_26
            AND (
              COALESCE(cw_uncovered && ARRAY['user.device.cookie_id'], FALSE)
            )
          )
          THEN 'flash-cookies'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_29
            AND NOT cw_holds_29
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'flash-cookie-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_31
            AND NOT cw_holds_31
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'required-disclosure'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_32
            AND NOT cw_holds_32
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.workplace.demographics'
                ],
                FALSE
              )
            )
          )
          THEN 'aggregate-demographics'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_34
            AND NOT cw_holds_34
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'],
                FALSE
              )
            )
          )
          THEN 'ad-vendor-cookies'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_35
            AND NOT cw_holds_35
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'],
                FALSE
              )
            )
          )
          THEN 'ad-vendors'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_38
            AND NOT cw_holds_38
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'google-ads-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_40
            AND NOT cw_holds_40
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'partners'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_43
            AND NOT cw_holds_43
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'partner-sharing-opt-out'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_44
            AND NOT cw_holds_44
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'fraud-safety-law'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_45
            AND NOT cw_holds_45
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'merger-transfer'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_46
            AND NOT cw_holds_46
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'merger-notice'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_47
            AND NOT cw_holds_47
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'chat-provider'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_48
            AND NOT cw_holds_48
            AND (
              COALESCE(
                cw_uncovered && ARRAY[
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.name',
                  'user.name.first',
                  'user.name.last'
                ],
                FALSE
              )
            )
          )
          THEN 'card-processing'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_49
            AND NOT cw_holds_49
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'email-provider'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_50
            AND NOT cw_holds_50
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'correction'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_53
            AND NOT cw_holds_53
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.content.testimonial', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'testimonials'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_54
            AND NOT cw_holds_54
            AND (
              COALESCE(
                cw_uncovered && ARRAY['user.content.testimonial', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'testimonial-posting'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          )
          AND (
            cw_match_57
            AND NOT cw_holds_57
            AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0 AND NOT cw_covered_none
            )
          )
          THEN 'policy-changes'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_before_46
          THEN 'merger-notice'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_breach_5
          THEN 'payment-storage'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_breach_51
          THEN 'ssl'
        END,
        CASE
          WHEN (
            decision = 'deny' AND NOT cw_outside
          ) AND cw_breach_52
          THEN 'industry-standards'
        END
      ]) AS _t3(cw_c)
      WHERE
        NOT cw_c IS NULL)
      ELSE ARRAY(SELECT
        cw_c
      FROM UNNEST(ARRAY[
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_3
            AND cw_holds_3
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user.contact.email',
                  'user.contact.phone_number',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'sign-up'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_4
            AND cw_holds_4
            AND (
              COALESCE(
                cw_data && ARRAY['user.financial.bank_account', 'user.financial.credit_card'],
                FALSE
              )
            )
          )
          THEN 'payment-details'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_6
            AND cw_holds_6
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.ip_address'], FALSE)
            )
          )
          THEN 'server-logs'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_7
            AND cw_holds_7
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'general-purposes'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_8
            AND cw_holds_8
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'anonymous-reporting'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_9 AND cw_holds_9 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'service-announcements'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_10 AND cw_holds_10 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'deactivate-account'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_12
            AND cw_holds_12
            AND (
              COALESCE(
                cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'newsletter'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_13 AND cw_holds_13 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'newsletter-delivery'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_16 AND cw_holds_16 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'newsletter-unsubscribe'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_17
            AND cw_holds_17
            AND (
              COALESCE(cw_data && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-addresses'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_18
            AND cw_holds_18
            AND (
              COALESCE(cw_data && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-not-linked'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_19
            AND cw_holds_19
            AND (
              COALESCE(cw_data && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-diagnostics'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_20
            AND cw_holds_20
            AND (
              COALESCE(cw_data && ARRAY['user.device.ip_address'], FALSE)
            )
          )
          THEN 'ip-regions'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_21
            AND cw_holds_21
            AND (
              COALESCE(cw_data && ARRAY['user.device.cookie'], FALSE)
            )
          )
          THEN 'session-cookie'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_22
            AND cw_holds_22
            AND (
              COALESCE(cw_data && ARRAY['user.device.cookie'], FALSE)
            )
          )
          THEN 'session-cookie-lifetime'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_23
            AND cw_holds_23
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'], FALSE)
            )
          )
          THEN 'aggregate-cookies'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_24
            AND cw_holds_24
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'], FALSE)
            )
          )
          THEN 'third-party-tracking'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_25
            AND cw_holds_25
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'], FALSE)
            )
          )
          THEN 'tracking-service'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_26
            AND cw_holds_26
            AND (
              COALESCE(cw_data && ARRAY['user.device.cookie_id'], FALSE)
            )
          )
          THEN 'flash-cookies'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_29 AND cw_holds_29 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'flash-cookie-opt-out'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_31
            AND cw_holds_31
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'required-disclosure'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_32
            AND cw_holds_32
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.workplace.demographics'
                ],
                FALSE
              )
            )
          )
          THEN 'aggregate-demographics'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_34
            AND cw_holds_34
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'], FALSE)
            )
          )
          THEN 'ad-vendor-cookies'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_35
            AND cw_holds_35
            AND (
              COALESCE(cw_data && ARRAY['user.behavior.page_requests', 'user.device.cookie_id'], FALSE)
            )
          )
          THEN 'ad-vendors'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_38 AND cw_holds_38 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'google-ads-opt-out'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_40
            AND cw_holds_40
            AND (
              COALESCE(
                cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'partners'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_43 AND cw_holds_43 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'partner-sharing-opt-out'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_44
            AND cw_holds_44
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'fraud-safety-law'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_45
            AND cw_holds_45
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user',
                  'user.account',
                  'user.account.settings',
                  'user.account.username',
                  'user.authorization',
                  'user.authorization.biometric',
                  'user.authorization.credentials',
                  'user.authorization.password',
                  'user.behavior',
                  'user.behavior.browsing_history',
                  'user.behavior.media_consumption',
                  'user.behavior.page_requests',
                  'user.behavior.purchase_history',
                  'user.behavior.search_history',
                  'user.biometric',
                  'user.biometric.fingerprint',
                  'user.biometric.health',
                  'user.biometric.retinal',
                  'user.biometric.voice',
                  'user.childrens',
                  'user.contact',
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.contact.email',
                  'user.contact.fax_number',
                  'user.contact.organization',
                  'user.contact.phone_number',
                  'user.contact.url',
                  'user.content',
                  'user.content.private',
                  'user.content.public',
                  'user.content.self_image',
                  'user.content.testimonial',
                  'user.criminal_history',
                  'user.demographic',
                  'user.demographic.age_range',
                  'user.demographic.date_of_birth',
                  'user.demographic.gender',
                  'user.demographic.language',
                  'user.demographic.marital_status',
                  'user.demographic.political_opinion',
                  'user.demographic.profile',
                  'user.demographic.race_ethnicity',
                  'user.demographic.religious_belief',
                  'user.demographic.sexual_orientation',
                  'user.device',
                  'user.device.cookie',
                  'user.device.cookie_id',
                  'user.device.device_id',
                  'user.device.ip_address',
                  'user.financial',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.government_id',
                  'user.government_id.birth_certificate',
                  'user.government_id.drivers_license_number',
                  'user.government_id.immigration',
                  'user.government_id.national_identification_number',
                  'user.government_id.passport_number',
                  'user.government_id.vehicle_registration',
                  'user.health_and_medical',
                  'user.health_and_medical.genetic',
                  'user.health_and_medical.insurance_beneficiary_id',
                  'user.health_and_medical.record_id',
                  'user.job_title',
                  'user.location',
                  'user.location.imprecise',
                  'user.location.precise',
                  'user.name',
                  'user.name.first',
                  'user.name.last',
                  'user.payment',
                  'user.privacy_preferences',
                  'user.sensor',
                  'user.social',
                  'user.telemetry',
                  'user.unique_id',
                  'user.unique_id.pseudonymous',
                  'user.user_sensor',
                  'user.workplace',
                  'user.workplace.demographics',
                  'user.workplace.financials'
                ],
                FALSE
              )
            )
          )
          THEN 'merger-transfer'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_46 AND cw_holds_46 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'merger-notice'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_47
            AND cw_holds_47
            AND (
              COALESCE(
                cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'chat-provider'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_48
            AND cw_holds_48
            AND (
              COALESCE(
                cw_data && ARRAY[
                  'user.contact.address',
                  'user.contact.address.city',
                  'user.contact.address.country',
                  'user.contact.address.postal_code',
                  'user.contact.address.state',
                  'user.contact.address.street',
                  'user.financial.bank_account',
                  'user.financial.credit_card',
                  'user.name',
                  'user.name.first',
                  'user.name.last'
                ],
                FALSE
              )
            )
          )
          THEN 'card-processing'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_49
            AND cw_holds_49
            AND (
              COALESCE(
                cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'email-provider'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_50 AND cw_holds_50 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'correction'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_53
            AND cw_holds_53
            AND (
              COALESCE(
                cw_data && ARRAY['user.content.testimonial', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'testimonials'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_54
            AND cw_holds_54
            AND (
              COALESCE(
                cw_data && ARRAY['user.content.testimonial', 'user.name', 'user.name.first', 'user.name.last'],
                FALSE
              )
            )
          )
          THEN 'testimonial-posting'
        END,
        CASE
          WHEN decision = 'allow'
          AND (
            cw_match_57 AND cw_holds_57 AND (
              COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
            )
          )
          THEN 'policy-changes'
        END
      ]) AS _t4(cw_c)
      WHERE
        NOT cw_c IS NULL)
    END AS clauses,
    ARRAY(SELECT
      cw_c
    FROM UNNEST(ARRAY[
      CASE
        WHEN decision = 'allow'
        AND (
          cw_match_13 AND cw_holds_13 AND (
            COALESCE(ARRAY_LENGTH(cw_data, 1), 0) = 0
          )
        )
        THEN 'newsletter-delivery: offer a way to unsubscribe from messages via a link within the email'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_match_47
          AND cw_holds_47
          AND (
            COALESCE(
              cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
              FALSE
            )
          )
        )
        THEN 'chat-provider: specify what personally identifiable information is shared as necessary for the provider to provide the service'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_match_48
          AND cw_holds_48
          AND (
            COALESCE(
              cw_data && ARRAY[
                'user.contact.address',
                'user.contact.address.city',
                'user.contact.address.country',
                'user.contact.address.postal_code',
                'user.contact.address.state',
                'user.contact.address.street',
                'user.financial.bank_account',
                'user.financial.credit_card',
                'user.name',
                'user.name.first',
                'user.name.last'
              ],
              FALSE
            )
          )
        )
        THEN 'card-processing: specify what personally identifiable information is shared as necessary for the provider to provide the service'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_match_49
          AND cw_holds_49
          AND (
            COALESCE(
              cw_data && ARRAY['user.contact.email', 'user.name', 'user.name.first', 'user.name.last'],
              FALSE
            )
          )
        )
        THEN 'email-provider: specify what personally identifiable information is shared as necessary for the provider to provide the service'
      END,
      CASE
        WHEN decision = 'allow' AND cw_notice_9
        THEN 'service-announcements: notify the person by email'
      END,
      CASE
        WHEN decision = 'allow' AND cw_notice_13
        THEN 'newsletter-delivery: notify the person by email'
      END,
      CASE
        WHEN decision = 'allow' AND cw_notice_57
        THEN 'policy-changes: notify the person by the contact email address in your company''s Kareo account or a prominent notice on the home page of our site'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_5 AND NOT cw_breach_5 AND cw_action = 'retain'
        )
        THEN 'payment-storage: encrypt the data at rest'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_51 AND NOT cw_breach_51 AND cw_action = 'collect'
        )
        THEN 'ssl: encrypt the data in transit'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_51 AND NOT cw_breach_51 AND cw_action = 'share'
        )
        THEN 'ssl: encrypt the data in transit'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_51 AND NOT cw_breach_51 AND cw_action = 'sell'
        )
        THEN 'ssl: encrypt the data in transit'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_52 AND NOT cw_breach_52 AND cw_action = 'collect'
        )
        THEN 'industry-standards: protect it in transit using generally accepted industry standards'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_52 AND NOT cw_breach_52 AND cw_action = 'share'
        )
        THEN 'industry-standards: protect it in transit using generally accepted industry standards'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_52 AND NOT cw_breach_52 AND cw_action = 'sell'
        )
        THEN 'industry-standards: protect it in transit using generally accepted industry standards'
      END,
      CASE
        WHEN decision = 'allow'
        AND (
          cw_guards_52 AND NOT cw_breach_52 AND cw_action = 'retain'
        )
        THEN 'industry-standards: protect it at rest using generally accepted industry standards'
      END
    ]) AS _t5(cw_c)
    WHERE
      NOT cw_c IS NULL) AS obligations,
    CAST(ARRAY[] AS TEXT[]) AS remedies,
    cw_error AS error
  FROM cw_decided
)
SELECT
  "cw_i"."action",
  "cw_i"."data",
  "cw_i"."subject",
  "cw_i"."recipient",
  "cw_i"."purpose",
  "cw_i"."event",
  "cw_i"."method",
  "cw_i"."source",
  "cw_i"."actor",
  "cw_i"."place",
  "cw_i"."mechanism",
  "cw_i"."basis",
  "cw_i"."residence",
  "cw_i"."channel",
  "cw_i"."right",
  "cw_i"."until",
  "cw_i"."collected_for",
  "cw_i"."days",
  cw_a.decision,
  cw_a.clauses,
  cw_a.obligations,
  cw_a.remedies,
  cw_a.error
FROM cw_input AS cw_i
JOIN cw_answers AS cw_a
  ON cw_i.cw_action IS NOT DISTINCT FROM cw_a.cw_action
  AND cw_i.cw_actor IS NOT DISTINCT FROM cw_a.cw_actor
  AND cw_i.cw_bad IS NOT DISTINCT FROM cw_a.cw_bad
  AND cw_i.cw_basis IS NOT DISTINCT FROM cw_a.cw_basis
  AND cw_i.cw_channel IS NOT DISTINCT FROM cw_a.cw_channel
  AND cw_i.cw_collected_for IS NOT DISTINCT FROM cw_a.cw_collected_for
  AND cw_i.cw_data IS NOT DISTINCT FROM cw_a.cw_data
  AND cw_i.cw_days IS NOT DISTINCT FROM cw_a.cw_days
  AND cw_i.cw_event IS NOT DISTINCT FROM cw_a.cw_event
  AND cw_i.cw_mechanism IS NOT DISTINCT FROM cw_a.cw_mechanism
  AND cw_i.cw_method IS NOT DISTINCT FROM cw_a.cw_method
  AND cw_i.cw_place IS NOT DISTINCT FROM cw_a.cw_place
  AND cw_i.cw_purpose IS NOT DISTINCT FROM cw_a.cw_purpose
  AND cw_i.cw_recipient IS NOT DISTINCT FROM cw_a.cw_recipient
  AND cw_i.cw_residence IS NOT DISTINCT FROM cw_a.cw_residence
  AND cw_i.cw_right IS NOT DISTINCT FROM cw_a.cw_right
  AND cw_i.cw_source IS NOT DISTINCT FROM cw_a.cw_source
  AND cw_i.cw_subject IS NOT DISTINCT FROM cw_a.cw_subject
  AND cw_i.cw_until IS NOT DISTINCT FROM cw_a.cw_until
  AND cw_i.cwf_aggregated IS NOT DISTINCT FROM cw_a.cwf_aggregated
  AND cw_i.cwf_consent IS NOT DISTINCT FROM cw_a.cwf_consent
  AND cw_i.cwf_deactivated IS NOT DISTINCT FROM cw_a.cwf_deactivated
  AND cw_i.cwf_encrypted IS NOT DISTINCT FROM cw_a.cwf_encrypted
  AND cw_i.cwf_legal_requirement IS NOT DISTINCT FROM cw_a.cwf_legal_requirement
  AND cw_i.cwf_linked IS NOT DISTINCT FROM cw_a.cwf_linked
  AND cw_i.cwf_notice_given IS NOT DISTINCT FROM cw_a.cwf_notice_given
  AND cw_i.cwf_opted_out IS NOT DISTINCT FROM cw_a.cwf_opted_out
  AND cw_i.cwf_subject_age IS NOT DISTINCT FROM cw_a.cwf_subject_age
  AND cw_i.cwf_terms_violation IS NOT DISTINCT FROM cw_a.cwf_terms_violation
  AND cw_i.cwg_original_purpose IS NOT DISTINCT FROM cw_a.cwg_original_purpose;
