"""What the API reads and writes, as pydantic schemas (they make the OpenAPI document)."""

from datetime import date, datetime

from ninja import Schema


class Applicant(Schema):
    first_name: str
    last_name: str
    email: str
    phone: str


class Demand(Schema):
    reference: str
    status: str
    outcome: str
    activity: str
    naf_code: str
    activity_category: str
    stage: str
    opening_date: date | None
    premises_kind: str
    surface_min: int
    surface_max: int
    monthly_budget: int | None
    purchase_budget: int | None
    lease_kinds: list[str]
    area_ids: list[int]
    needs_shop_window: bool
    needs_step_free_access: bool
    support: list[str]
    heard_from: str
    consent_to_share: bool
    tags: list[str]
    priority: int
    next_action_on: date | None
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    first_contact_at: datetime | None
    erased: bool
    # With the personal:read scope only (null otherwise).
    applicant: Applicant | None
    siret: str | None
    description: str | None
    other_needs: str | None


class DemandPage(Schema):
    items: list[Demand]
    next_cursor: str | None


class Event(Schema):
    id: int
    kind: str
    label: str
    from_status: str
    to_status: str
    visible_to_applicant: bool
    created_at: datetime
    # With the personal:read scope only (null otherwise): may quote the porteur.
    message: str | None
    actor: str | None


class EventPage(Schema):
    items: list[Event]
    next_cursor: str | None


class Photo(Schema):
    url: str
    caption: str


class Premises(Schema):
    id: int
    address: str
    area_id: int | None
    kind: str
    surface: int
    monthly_rent: int | None
    sale_price: int | None
    lease_kind: str
    state: str
    state_changed_at: datetime
    vacant_since: date | None
    available_from: date | None
    managing_partner_id: int | None
    has_shop_window: bool
    step_free_access: bool
    description: str
    is_published: bool
    latitude: float | None
    longitude: float | None
    photos: list[Photo]
    created_at: datetime
    updated_at: datetime
    # With the personal:read scope only (null otherwise): a private owner's name.
    owner_name: str | None


class PremisesPage(Schema):
    items: list[Premises]
    next_cursor: str | None


class PremisesIn(Schema):
    """A premises to create (address, kind and surface required) or the fields to change
    (PATCH: only those sent). Checked by the back-office's own form."""

    address: str | None = None
    area_id: int | None = None
    kind: str | None = None
    surface: int | None = None
    lease_kind: str | None = None
    monthly_rent: int | None = None
    sale_price: int | None = None
    state: str | None = None
    available_from: date | None = None
    has_shop_window: bool | None = None
    step_free_access: bool | None = None
    managing_partner_id: int | None = None
    owner_name: str | None = None
    description: str | None = None
    is_published: bool | None = None
    latitude: float | None = None
    longitude: float | None = None


class Proposal(Schema):
    id: int
    demand_reference: str
    premises_id: int
    origin: str
    partner_id: int | None
    answer: str
    reason: str
    created_at: datetime
    answered_at: datetime | None
    # With the personal:read scope only (null otherwise): the porteur's own words.
    comment: str | None
    visit_availability: str | None
    visit_attendees: str | None


class ProposalPage(Schema):
    items: list[Proposal]
    next_cursor: str | None


class Partner(Schema):
    id: int
    name: str
    kind: str
    siret: str
    address: str
    postcode: str
    city: str
    website: str
    status: str
    joined_at: datetime


class PartnerPage(Schema):
    items: list[Partner]
    next_cursor: str | None


class TownStats(Schema):
    demands_last_30_days: int
    open_demands: int
    installed_total: int
    median_days_to_installation: float | None
    staff: int
    partners: int
    last_activity_at: datetime | None
    businesses_recorded: int
    businesses_active: int
    survival_12_pct: float | None
    survival_24_pct: float | None
    computed_at: datetime


class Town(Schema):
    slug: str
    name: str
    kind: str
    official_code: str
    status: str
    url: str
    api_url: str
    stats: TownStats | None


class TownPage(Schema):
    items: list[Town]
    next_cursor: str | None
