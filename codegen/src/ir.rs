//! The intermediate representation between spec and tokens: Rust items with
//! resolved names and types. `lower` builds it; `emit` never looks at raw JSON.

/// Everything one spec generates.
#[derive(Debug, Clone)]
pub struct Api {
    /// The API's title, for the module docs.
    pub title: String,
    /// Named types in spec order.
    pub types: Vec<TypeDef>,
    /// Endpoint methods in spec order.
    pub operations: Vec<Operation>,
    /// Webhook events (`x-gigs-event`) and what only they use; empty when the spec
    /// describes none, and then nothing is generated for them.
    pub events: Events,
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(Struct),
    StringEnum(StringEnum),
    Union(Union),
    /// `pub type Name = Target;` for a schema that only restates another.
    Alias {
        name: String,
        doc: String,
        target: Type,
    },
    /// A request form (`x-gigs-request-form-of`): in Rust an alias of `target`; on
    /// the wire its own `form`, closed to unknown keys, which the mock checks.
    RequestForm {
        name: String,
        doc: String,
        target: Type,
        form: Box<TypeDef>,
    },
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::StringEnum(e) => &e.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Alias { name, .. } | TypeDef::RequestForm { name, .. } => name,
        }
    }
}

/// An object schema with named properties.
#[derive(Debug, Clone)]
pub struct Struct {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    /// `additionalProperties: false`: decoding refuses unknown keys.
    pub deny_unknown_fields: bool,
    /// Groups of wire names that may not all be present (`not: {required}`).
    pub exclusive: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// Rust identifier as source text (may be `r#type`).
    pub name: String,
    /// The JSON key.
    pub wire_name: String,
    pub doc: String,
    pub ty: Type,
    pub presence: Presence,
    /// Whether `null` is a valid wire value (whatever Rust type that maps to).
    pub nullable: bool,
    /// The spec's example, as compact JSON text.
    pub example: Option<String>,
    /// For a required one-value enum: the variant constructors fill in.
    pub fixed: Option<String>,
}

/// How a field's absence and `null` map to Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Required but nullable: `Option<T>`, `None` sent as `null`.
    RequiredNullable,
    /// May be absent (or null, when nullable): `Option<T>`, `None` not sent.
    Optional,
    /// A nullable field of a PATCH body: `Patch<T>` says unchanged, clear or set.
    Patch,
}

/// A field or payload type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    /// A string the spec marks secret: redacted from `Debug`.
    SecretString,
    /// `format: date`.
    Date,
    Bool,
    Integer,
    Number,
    /// Any JSON value.
    Json,
    /// An object of free-form keys: `serde_json::Map`.
    JsonObject,
    Array(Box<Type>),
    /// An object with typed values under free-form keys.
    Map(Box<Type>),
    /// Another generated type, by Rust name.
    Named(String),
}

/// A closed set of strings that still decodes values it does not know.
#[derive(Debug, Clone)]
pub struct StringEnum {
    pub name: String,
    pub doc: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub variant: String,
    pub wire: String,
}

/// A `oneOf` with a discriminator, in the Gigs intent shape:
/// `{"<tag property>": X, X: {payload}}`.
#[derive(Debug, Clone)]
pub struct Union {
    pub name: String,
    pub doc: String,
    /// The discriminator property, e.g. `type`.
    pub tag_property: String,
    pub variants: Vec<UnionVariant>,
    /// Every member says `additionalProperties: false`: no key besides the tag and
    /// the payload.
    pub closed: bool,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name (`CheckoutNewSubscription`).
    pub name: String,
    /// Constructor name (`checkout_new_subscription`).
    pub constructor: String,
    /// The tag value and the payload key (`checkoutNewSubscription`).
    pub tag: String,
    pub doc: String,
    /// The payload struct's Rust name; `None` for intents without payload.
    pub payload: Option<String>,
}

/// One endpoint: a method on the client that returns a `Call` of the operation's
/// request type.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name on the client (`create_connect_session`).
    pub method_name: String,
    /// The request type in the `operations` module (`CreateConnectSession`).
    pub type_name: String,
    /// The spec's operationId, used in errors and tracing.
    pub operation_id: String,
    /// The spec marks it `deprecated`: a note in the method's docs, not
    /// `#[deprecated]`, so a user's `-D warnings` build keeps compiling.
    pub deprecated: bool,
    /// Uppercase HTTP method.
    pub http_method: String,
    pub doc: String,
    /// The spec's path, `{name}` placeholders and all.
    pub path_template: String,
    /// The documented success status (`201` for a create).
    pub success_status: u16,
    pub path: Vec<PathPart>,
    /// Method arguments for path parameters, in path order.
    pub path_args: Vec<PathArg>,
    /// Query and header parameters, in spec order (path-level ones first).
    pub params: Vec<Param>,
    /// The request body, sent as JSON.
    pub body: Option<Body>,
    /// What a success answers with.
    pub response: Response,
    /// Set when the operation is a list in the Gigs convention.
    pub pager: Option<Pager>,
}

impl Operation {
    /// Whether the request type borrows from the caller (path arguments, body).
    pub fn borrows(&self) -> bool {
        !self.path_args.is_empty() || self.body.is_some()
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its generated type.
    pub type_name: String,
    /// Required bodies are a method argument; an optional one (an action's extra
    /// settings, say) is a setter on the call, and no body is sent unless it is set.
    pub required: bool,
    /// Wire names of its properties marked `x-gigs-set-once`: a request that sets
    /// one (present, not `null`) is not repeated after it may have reached Gigs.
    pub set_once: Vec<String>,
}

/// A success answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// A JSON body of this generated type.
    Json(String),
    /// No body (204, or a 2xx the spec gives no content): the call returns `()`.
    NoContent,
}

/// A query or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name of the argument or setter.
    pub name: String,
    /// The parameter's name on the wire.
    pub wire: String,
    pub doc: String,
    pub location: ParamLocation,
    pub ty: ParamType,
    /// Required parameters are method arguments; optional ones are setters on the
    /// `Call` and are not sent unless set.
    pub required: bool,
    /// Bounds of an integer parameter, checked before sending.
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Query,
    Header,
}

/// The type of a query or header parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    String,
    Integer,
    Bool,
    /// A generated string enum, sent as its wire value.
    Enum(String),
    /// Repeated as `name=a&name=b` (form style, exploded); query only.
    Array(Box<ParamType>),
}

/// How a list operation pages: the Gigs convention
/// `{"object": "list", "items": [...], "moreItemsAfter": id|null}` with `after`.
#[derive(Debug, Clone)]
pub struct Pager {
    /// The item type.
    pub item: Type,
    /// Rust field of the page that holds the items (`items`).
    pub items_field: String,
    /// Rust field of the page that holds the next cursor (`more_items_after`).
    pub cursor_field: String,
    /// Rust name of the `after` parameter's field.
    pub after_param: String,
    /// Set when the list also walks backward: a `moreItemsBefore` cursor and a
    /// `before` parameter, under the same rules as the forward pair.
    pub backward: Option<BackwardPager>,
}

/// The backward half of a [`Pager`]: `moreItemsBefore` and `before`.
#[derive(Debug, Clone)]
pub struct BackwardPager {
    /// Rust field of the page that holds the previous cursor (`more_items_before`).
    pub cursor_field: String,
    /// Rust name of the `before` parameter's field.
    pub before_param: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// A method argument, percent-encoded as one segment.
    Arg(PathArg),
    /// A value from client configuration (`project`), percent-encoded as one segment.
    ClientSetting(PathArg),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathArg {
    /// Rust name of the argument or client accessor.
    pub name: String,
    /// The parameter's name in the spec, used in errors.
    pub wire: String,
    pub doc: String,
}

/// What the `webhooks` feature generates (`generated/events.rs`): the `Event` enum
/// over every event envelope, the envelopes, and the partial models of `previousData`.
/// Types of their own, not `TypeDef`s, so that a comparison of two specs can treat
/// events apart from API models.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// One per `x-gigs-event` schema, in spec order.
    pub events: Vec<EventDef>,
    /// One per `x-gigs-partial-of` schema, in spec order.
    pub partials: Vec<Partial>,
    /// Inline string enums of the envelopes' properties.
    pub enums: Vec<StringEnum>,
}

impl Events {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// One event type: a variant of `Event` holding its envelope.
#[derive(Debug, Clone)]
pub struct EventDef {
    /// The CloudEvents `type`, e.g. `com.gigs.connectSession.created`.
    pub event_type: String,
    /// The `Event` variant (`ConnectSessionCreated`).
    pub variant: String,
    /// The envelope (`id`, `type`, `data`, …), a struct like any model.
    pub envelope: Struct,
}

/// A model with every property optional and unknown keys kept (`x-gigs-partial-of`):
/// a shallow diff such as `previousData`. A nullable property is a `Patch`, so a
/// previous `null` differs from a property that did not change.
#[derive(Debug, Clone)]
pub struct Partial {
    pub name: String,
    pub doc: String,
    /// The Rust name of the model it is a part of.
    pub of: String,
    /// The original's fields, each `Optional` or `Patch`.
    pub fields: Vec<Field>,
}
