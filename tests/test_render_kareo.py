"""Checklist: the rendered Kareo policy says everything the published 2010 policy said.

Each entry is one statement of Kareo's privacy policy of May 25, 2010, in our
own words, with the phrases the rendered policy must contain to say it. The
entries follow the published policy paragraph by paragraph, so a statement
that a change to the rules or the renderers drops fails here by name.
Markdown is compared as a reader sees it (escapes, anchors and autolink
brackets removed) and text with its line wrapping undone.
"""

from __future__ import annotations

import re

import pytest

from clausewise.renderers import render

CHECKLIST: list[tuple[str, list[str]]] = [
    # What this privacy policy covers
    ("the policy covers the Kareo web site and how Kareo treats personal information",
     ["the Kareo web site at http://www.kareo.com/",
      "how Kareo treats personal information that Kareo collects and receives"]),
    ("personal information is defined",
     ["Personal information is information about you that is personally identifiable",
      "your name, address, email address or phone number"]),
    ("children under 13 may not use the service",
     ["Children under 13 are not permitted to use the Kareo service",
      "makes no provision for children's use of the site"]),
    ("Kareo is TRUSTe certified and reviewed by it",
     ["Kareo is a licensee of the TRUSTe Privacy Program",
      "have its privacy practices reviewed for compliance by TRUSTe"]),
    ("questions go to Kareo first, then to TRUSTe, at its complaints page",
     ["you should first contact Kareo by emailing privacy@kareo.com",
      "you should contact TRUSTe", "TRUSTe will then serve as a liaison with us",
      "http://watchdog.truste.com/pvr.php?page=complaint&url=www.kareo.com"]),
    ("TRUSTe covers only the web site, not downloaded software",
     ["The TRUSTe program only covers information that is collected through this web site",
      "does not cover information that may be collected through any software downloaded"]),
    # Information collection and how it is used
    ("no personal information is needed to visit the site",
     ["You do not have to give us any personal information to visit the product information "
      "portion of our web site",
      "No personally identifying information (such as your name, e-mail address or Social "
      "Security number) will be collected unless you choose to provide that information"]),
    ("what is asked for at sign-up",
     ["when you sign up for a trial or paid subscription",
      "we ask for your name, email address, phone number and your company's demographic and "
      "financial information"]),
    ("card or ACH details for a paid subscription, stored encrypted in a locked cage",
     ["When you sign up for a paid subscription, we will ask you to enter your credit card or "
      "ACH information",
      "This information is encrypted on computer systems that are secured in a locked cage at "
      "a data center co-location facility rented by Kareo"]),
    ("server logs record the IP address and page requested",
     ["automatically receives and records information on our server logs from your browser",
      "including your IP address and the page you request"]),
    ("the general purposes of use",
     ["products and services provision, billing, identification and authentication, services "
      "improvement, contact, research, and anonymous reporting"]),
    ("anonymous reporting uses data only in aggregate",
     ["to produce anonymous reports, only in aggregate"]),
    ("service announcements cannot be opted out of, but the account can be deactivated",
     ["strictly service-related announcements on rare occasions",
      "if our service is temporarily suspended for maintenance, we might send you an email",
      "you may not opt-out of these communications, which are not promotional in nature",
      "you have the option to deactivate your account"]),
    ("the newsletter uses name and email, and can be unsubscribed from",
     ["If you wish to subscribe to our newsletter, we will use your name and email address",
      "a way to unsubscribe by clicking on the link within the email"]),
    # IP addresses
    ("browsers report IP addresses, which are not stored linked to the person",
     ["IP Addresses are automatically reported by your browser",
      "Your IP address is not permanently stored in a way that is identified with your "
      "personal information"]),
    ("IP addresses diagnose technology problems",
     ["IP addresses may be used to diagnose or service technology problems",
      "controlled by a specific web company or ISP"]),
    ("IP addresses estimate visitors per region",
     ["estimate the total number of users visiting Kareo from specific geographical regions"]),
    # Cookies
    ("what a cookie is; the session cookie goes when the browser closes",
     ["A cookie is a small amount of data",
      "Kareo uses a \"session\" cookie that will get removed automatically when you close your "
      "web browser"]),
    ("cookie data is only collected in aggregate",
     ["We have cookies on our site but the data is only collected in the aggregate"]),
    ("a third-party tracking service tracks non-identifying data in aggregate",
     ["We use a third-party tracking services that uses cookies and other tracking "
      "technologies to track non-personally identifiable information about visitors to our "
      "site in the aggregate"]),
    ("third parties place Flash cookies, which the Macromedia panel can prevent",
     ["including Flash cookies, also known as \"local shared objects,\"",
      "these cookies are represented as small files stored on your computer",
      "adjust your preferences in the Macromedia Website Privacy Settings Panel"]),
    # Protected health information
    ("no protected health information",
     ["you will never provide Kareo with Protected Health Information (PHI), nor will Kareo "
      "show any PHI"]),
    # Information sharing and disclosure
    ("disclosure required by subpoena or terms violations",
     ["Kareo may be required to disclose personally identifiable information under special "
      "circumstances", "to comply with subpoenas",
      "when your actions violate the Kareo Terms of Service"]),
    ("aggregate demographics are shared with business partners",
     ["Kareo may share demographic information with business partners",
      "\"7% of Kareo customers are in the Los Angeles region\""]),
    ("permission is asked before a quote or testimonial is used",
     ["No personally identifiable information will ever be used without your permission",
      "we will ask you before using a quote or testimonial"]),
    ("ad vendors, including Google, use cookies for ads; Google's opt-out page",
     ["Third party vendors, including Google, show our ads on sites on the Internet",
      "use cookies to serve ads based on a user's prior visits to our website",
      "Users may opt out of Google's use of cookies by visiting the Google advertising opt-out "
      "page"]),
    ("no sharing for promotional purposes without permission",
     ["Kareo does not rent, sell, or share personal information about you with other people "
      "or nonaffiliated companies for promotional purposes",
      "except to provide products or services you've requested or when we have your "
      "permission"]),
    ("name and email go to selected partners with consent, with a way to opt out",
     ["With your consent, we do share your name and email with carefully selected partners",
      "uncheck the box when asked this option or notify us via privacy@kareo.com"]),
    ("sharing to fight fraud, protect safety and obey the law",
     ["investigate, prevent, or take action regarding illegal activities, suspected fraud",
      "potential threats to the physical safety of any person",
      "violations of Kareo's terms of use, or as otherwise required by law"]),
    ("a merger transfers data, and people are told first",
     ["We will transfer information about you if Kareo is acquired by or merged with another "
      "company",
      "Kareo will notify you by email or by putting a prominent notice on the Kareo web site "
      "before information about you is transferred",
      "becomes subject to a different privacy policy"]),
    ("providers: chat, card processing, email; only what they need",
     ["a chat service provider to provide customer service to you",
      "a credit card processing company to bill you for goods and services",
      "an email service provider to send out emails on our behalf",
      "we will specify what personally identifiable information is being shared as necessary "
      "for the third party to provide that service"]),
    # Accessing, updating, or correcting
    ("personal information can be corrected by telephone or postal mail",
     ["you may correct it by contacting us by telephone or postal mail"]),
    # Security
    ("card numbers are encrypted with SSL",
     ["When you enter sensitive information such as credit card number",
      "we encrypt that information using secure socket layer technology (SSL)"]),
    ("industry standards protect data, but no method is 100% secure",
     ["We follow generally accepted industry standards to protect the personally identifiable "
      "information submitted to us, both during transmission and once we receive it",
      "is 100% secure", "we cannot guarantee its absolute security"]),
    # Customer testimonials, comments and reviews
    ("testimonials are posted, with the customer's consent",
     ["We post customer testimonials, comments and reviews on our web site",
      "publicly available from a partner site",
      "We do obtain the customer's consent to post their name along with their testimonial"]),
    ("what is posted in public forums can be read by others",
     ["can be read, collected, or used by other users of these forums",
      "could be used to send you unsolicited messages",
      "We are not responsible for the personal information you choose to submit in these "
      "forums"]),
    # Links to other sites
    ("other sites are not Kareo's responsibility",
     ["If you click on a link to a third party site, you will leave this site",
      "we cannot accept responsibility for any use of your personally identifiable information "
      "by such third parties",
      "We encourage you to review the privacy statements of any other service provider"]),
    # Changes to this privacy policy
    ("the policy may change, and significant changes are announced",
     ["Kareo may update this policy at any time for any reason",
      "we will send a notice to the contact email address specified in your company's Kareo "
      "account", "by placing a prominent notice on the home page of our site"]),
    # Questions
    ("how to contact Kareo: email, phone and postal address",
     ["you can contact Kareo at", "privacy@kareo.com", "888-775-2736",
      "Kareo Support - Privacy Policy, 111 Academy Drive, Suite 150, Irvine, CA 92617"]),
    # Last updated
    ("when the policy was last updated",
     ["This policy was last updated on May 25, 2010."]),
]


def _as_read(text: str, fmt: str) -> str:
    if fmt == "markdown":
        text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["markdown", "text"])
def rendered(request, kareo) -> str:
    return _as_read(render(kareo, request.param), request.param)


@pytest.mark.parametrize("what, phrases", CHECKLIST, ids=[what for what, _ in CHECKLIST])
def test_the_policy_says(rendered: str, what: str, phrases: list[str]) -> None:
    missing = [phrase for phrase in phrases if phrase not in rendered]
    assert not missing, f"the rendered policy no longer says: {what}"
