"""The invented demo network: countries, co-ops, names and the skill taxonomy that
`manage.py seed_demo` builds from.

Every co-op, federation, partner and person here is made up. Names are meant to sound plausible
in each country's language; cities and IANA timezones are real and fit their country. Websites
and email addresses use the reserved `.example` domain so nothing points at a real site.
"""

from __future__ import annotations

from typing import NamedTuple

# ISO 639-1 codes with their English names.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("af", "Afrikaans"),
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("ca", "Catalan"),
    ("cy", "Welsh"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("eo", "Esperanto"),
    ("es", "Spanish"),
    ("eu", "Basque"),
    ("fr", "French"),
    ("ga", "Irish"),
    ("gl", "Galician"),
    ("gn", "Guarani"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("ml", "Malayalam"),
    ("mr", "Marathi"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("qu", "Quechua"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("ta", "Tamil"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
    ("xh", "Xhosa"),
    ("zh", "Chinese"),
    ("zu", "Zulu"),
)

SECTORS: tuple[str, ...] = (
    "Software development",
    "Web and interface design",
    "Hosting and infrastructure",
    "Digital security",
    "Data and research",
    "Communication and media",
    "Translation and localisation",
    "Education and training",
    "Consulting",
    "Co-op development",
    "Accounting and administration",
    "Publishing",
)

# (slug, name), in the order the site lists them.
SKILL_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("development", "Development"),
    ("design", "Design"),
    ("maintenance", "Maintenance and operations"),
    ("security", "Security"),
    ("data", "Data"),
    ("marketing", "Marketing and communication"),
    ("facilitation", "Facilitation"),
    ("project-management", "Project management"),
    ("administration", "Finance and administration"),
    ("languages", "Languages and translation"),
)


class SkillSpec(NamedTuple):
    name: str
    category: str
    synonyms: str = ""
    # Only an ESCO skill URI we found published, under the same label, in more than one
    # independent copy of the ESCO classification (ESCO_SKILLS below); the others stay blank, as
    # an invented URI would be worse than none.
    esco_uri: str = ""


def _esco(uuid: str) -> str:
    return f"http://data.europa.eu/esco/skill/{uuid}"


# ESCO v1.2 concepts, by their preferred English label.
ESCO_SKILLS = {
    "Python": _esco("ccd0a1d9-afda-43d9-b901-96344886e14d"),  # Python (computer programming)
    "Java": _esco("19a8293b-8e95-4de3-983f-77484079c389"),  # Java (computer programming)
    "JavaScript": _esco("3cd569a2-4f88-4c1e-9995-8dce8c5e51a7"),  # JavaScript
    "TypeScript": _esco("867137fb-ff1b-4ca3-99f3-cb6969aa2c68"),  # TypeScript
    "PHP": _esco("4350c38d-0fe9-4ca7-bab9-40ed7f72b04f"),  # PHP
    "SQL": _esco("598de5b0-5b58-4ea7-8058-a4bc4d18c742"),  # SQL
    "PostgreSQL": _esco("a8d07b5a-c1a1-42c6-9d53-db9c7a2ca996"),  # PostgreSQL
    "Machine learning": _esco("3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43"),  # machine learning
}


SKILLS: tuple[SkillSpec, ...] = (
    # development
    SkillSpec("Python", "development", "Python 3", ESCO_SKILLS["Python"]),
    SkillSpec("Django", "development", "Django REST framework"),
    SkillSpec("JavaScript", "development", "JS, ECMAScript", ESCO_SKILLS["JavaScript"]),
    SkillSpec("TypeScript", "development", "TS", ESCO_SKILLS["TypeScript"]),
    SkillSpec("React", "development", "React.js, ReactJS"),
    SkillSpec("Vue.js", "development", "Vue"),
    SkillSpec("PHP", "development", "Laravel, Symfony", ESCO_SKILLS["PHP"]),
    SkillSpec("Ruby on Rails", "development", "Rails, Ruby"),
    SkillSpec("Java", "development", "JVM, Spring", ESCO_SKILLS["Java"]),
    SkillSpec("Go", "development", "Golang"),
    SkillSpec("Rust", "development", ""),
    SkillSpec("Android development", "development", "Android, Kotlin"),
    SkillSpec("iOS development", "development", "iOS, Swift"),
    SkillSpec("Flutter", "development", "Dart, cross-platform apps"),
    SkillSpec("WordPress", "development", "WP"),
    SkillSpec("Odoo", "development", "ERP, OpenERP"),
    SkillSpec("API design", "development", "REST, GraphQL, OpenAPI"),
    SkillSpec("Software testing", "development", "QA, test automation"),
    # design
    SkillSpec("UX research", "design", "user research, usability testing"),
    SkillSpec("Interaction design", "design", "UX design, UI design"),
    SkillSpec("Visual design", "design", "graphic design"),
    SkillSpec("Accessibility", "design", "a11y, WCAG, inclusive design"),
    SkillSpec("Illustration", "design", "drawing"),
    SkillSpec("Branding", "design", "brand identity, logo design"),
    SkillSpec("Prototyping", "design", "wireframing, Figma"),
    SkillSpec("Service design", "design", "journey mapping"),
    # maintenance and operations
    SkillSpec("Linux administration", "maintenance", "sysadmin, GNU/Linux"),
    SkillSpec("Docker", "maintenance", "containers, Podman"),
    SkillSpec("Kubernetes", "maintenance", "k8s"),
    SkillSpec(
        "PostgreSQL", "maintenance", "Postgres, database administration", ESCO_SKILLS["PostgreSQL"]
    ),
    SkillSpec("Networking", "maintenance", "routing, LAN"),
    SkillSpec("Cloud hosting", "maintenance", "hosting, IaaS"),
    SkillSpec("Continuous integration", "maintenance", "CI/CD, DevOps"),
    SkillSpec("Monitoring", "maintenance", "observability, alerting"),
    SkillSpec("Backups and recovery", "maintenance", "disaster recovery"),
    # security
    SkillSpec("Penetration testing", "security", "pentest, security audit"),
    SkillSpec("Threat modelling", "security", "threat modeling, risk assessment"),
    SkillSpec("Data protection", "security", "GDPR, privacy"),
    SkillSpec("Incident response", "security", "forensics"),
    SkillSpec("Digital security training", "security", "holistic security"),
    # data
    SkillSpec("Data analysis", "data", "analytics"),
    SkillSpec("Data engineering", "data", "ETL, data pipelines"),
    SkillSpec("Machine learning", "data", "ML, AI", ESCO_SKILLS["Machine learning"]),
    SkillSpec("Data visualisation", "data", "dataviz, data visualization, charts"),
    SkillSpec("GIS", "data", "mapping, QGIS"),
    SkillSpec("Statistics", "data", "R, statistical modelling"),
    SkillSpec("SQL", "data", "queries", ESCO_SKILLS["SQL"]),
    # marketing and communication
    SkillSpec("Copywriting", "marketing", "content writing"),
    SkillSpec("Social media", "marketing", "community management"),
    SkillSpec("SEO", "marketing", "search engine optimisation"),
    SkillSpec("Content strategy", "marketing", "editorial planning"),
    SkillSpec("Video production", "marketing", "video editing"),
    # facilitation
    SkillSpec("Meeting facilitation", "facilitation", "facilitation"),
    SkillSpec("Conflict resolution", "facilitation", "mediation"),
    SkillSpec("Sociocracy", "facilitation", "consent decision-making, dynamic governance"),
    SkillSpec("Workshop design", "facilitation", "training design"),
    SkillSpec("Co-op development", "facilitation", "co-op conversion, co-op start-up support"),
    SkillSpec("Teaching", "facilitation", "training, mentoring"),
    # project management
    SkillSpec("Project management", "project-management", "PM, planning"),
    SkillSpec("Agile", "project-management", "Scrum, Kanban"),
    SkillSpec("Product management", "project-management", "product ownership"),
    SkillSpec("Estimating and budgeting", "project-management", "estimates, quotes"),
    SkillSpec("Grant writing", "project-management", "fundraising, funding applications"),
    SkillSpec("Client relations", "project-management", "account management"),
    # finance and administration
    SkillSpec("Bookkeeping", "administration", "accounting"),
    SkillSpec("Co-op law", "administration", "legal, rules, governing documents"),
    # languages and translation
    SkillSpec("Translation", "languages", ""),
    SkillSpec("Localisation", "languages", "i18n, l10n, internationalisation"),
    # a rare skill: in the catalogue, held by nobody in the demo (a role needing it stays open)
    SkillSpec("COBOL", "development", "mainframe"),
)
# Skills nobody in the demo is given: the demo's unfillable role asks for one, so the gap report
# has something honest to say.
RARE_SKILLS = frozenset({"COBOL"})


class Profile(NamedTuple):
    """What a co-op mostly does: it shapes its people's skills, its sectors and services."""

    categories: dict[str, int]
    highlights: tuple[str, ...]
    sectors: tuple[str, ...]
    services: tuple[str, ...]
    focus: str
    role: str


PROFILES: dict[str, Profile] = {
    "web": Profile(
        {"development": 6, "design": 3, "maintenance": 2, "project-management": 1},
        ("Python", "Django", "JavaScript", "React", "PHP", "Accessibility", "API design"),
        ("Software development", "Web and interface design"),
        (
            "Custom web applications",
            "Websites for co-ops, unions and NGOs",
            "Django and Python development",
            "Accessibility audits",
            "Maintenance and support contracts",
            "API integrations",
        ),
        "building web applications for unions, co-ops and cultural organisations",
        "web developer",
    ),
    "mobile": Profile(
        {"development": 6, "design": 3, "project-management": 1},
        ("Android development", "iOS development", "Flutter", "Interaction design", "API design"),
        ("Software development",),
        (
            "Android and iOS apps",
            "Cross-platform apps with Flutter",
            "Interface design for mobile",
            "App store publishing",
        ),
        "making mobile apps for community projects and small businesses",
        "mobile developer",
    ),
    "infra": Profile(
        {"maintenance": 6, "security": 3, "development": 2},
        ("Linux administration", "Docker", "Kubernetes", "PostgreSQL", "Monitoring"),
        ("Hosting and infrastructure",),
        (
            "Managed hosting on our own servers",
            "Server administration",
            "Kubernetes clusters",
            "Backups and monitoring",
            "Email, Nextcloud and Matrix for organisations",
        ),
        "running hosting and servers for organisations that want to own their tools",
        "sysadmin",
    ),
    "design": Profile(
        {"design": 6, "marketing": 3, "development": 1},
        ("UX research", "Interaction design", "Visual design", "Branding", "Illustration"),
        ("Web and interface design", "Communication and media"),
        (
            "Brand identity",
            "UX research and usability testing",
            "Interface design",
            "Illustration",
            "Print design",
        ),
        "designing brands, interfaces and campaigns for the social economy",
        "designer",
    ),
    "data": Profile(
        {"data": 6, "development": 3, "design": 1},
        ("Data analysis", "Data engineering", "GIS", "Data visualisation", "SQL", "Python"),
        ("Data and research", "Software development"),
        (
            "Data analysis and dashboards",
            "Data pipelines",
            "Mapping and GIS",
            "Surveys and participatory research",
            "Open data publishing",
        ),
        "helping public bodies and NGOs make sense of their data",
        "data analyst",
    ),
    "security": Profile(
        {"security": 6, "maintenance": 3, "facilitation": 2},
        ("Penetration testing", "Threat modelling", "Digital security training", "Data protection"),
        ("Digital security", "Education and training"),
        (
            "Security audits",
            "Penetration testing",
            "Digital security training for activists",
            "GDPR compliance",
            "Incident response",
        ),
        "keeping journalists, activists and co-ops safe online",
        "security specialist",
    ),
    "facilitation": Profile(
        {"facilitation": 6, "project-management": 3, "administration": 2},
        ("Meeting facilitation", "Sociocracy", "Conflict resolution", "Co-op development"),
        ("Co-op development", "Consulting", "Education and training"),
        (
            "Facilitation of assemblies and retreats",
            "Governance design (sociocracy)",
            "Conflict mediation",
            "Support for conversions to worker ownership",
            "Training for new co-ops",
        ),
        "supporting groups that want to work and decide together",
        "facilitator",
    ),
    "comms": Profile(
        {"marketing": 6, "design": 3, "languages": 2},
        ("Copywriting", "Social media", "Content strategy", "Video production"),
        ("Communication and media", "Publishing"),
        (
            "Campaign strategy",
            "Social media",
            "Copywriting and editing",
            "Video production",
            "Newsletters",
        ),
        "telling the stories of campaigns, co-ops and social movements",
        "communicator",
    ),
    "erp": Profile(
        {"development": 4, "administration": 4, "project-management": 3},
        ("Odoo", "Bookkeeping", "Project management", "Python"),
        ("Software development", "Accounting and administration", "Consulting"),
        (
            "Odoo implementation",
            "Accounting and invoicing systems",
            "Process mapping",
            "Staff training",
        ),
        "setting up accounting, invoicing and stock systems for co-ops",
        "ERP consultant",
    ),
    "translation": Profile(
        {"languages": 6, "marketing": 3, "development": 1},
        ("Translation", "Localisation", "Copywriting"),
        ("Translation and localisation", "Publishing"),
        (
            "Translation",
            "Software localisation",
            "Subtitling",
            "Plain language editing",
        ),
        "translating and localising software, books and campaigns",
        "translator",
    ),
}


class Country(NamedTuple):
    code: str
    cities: dict[str, str]  # city: IANA timezone
    native: tuple[tuple[str, int], ...]  # (language code, weight): a person's first language
    extra: tuple[tuple[str, float], ...]  # (language code, share of people who also speak it)
    site_language: str  # the site's interface language for people here (en or es)
    phone_prefix: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    # Family names; "Ivanov/Ivanova" gives the masculine and feminine forms.
    family: tuple[str, ...]
    coops: tuple[tuple[str, ...], ...]  # (name, city[, kind]) for the 100 demo co-ops


# fmt: off
COUNTRIES: tuple[Country, ...] = (
    Country(
        "AR",
        {
            "Buenos Aires": "America/Argentina/Buenos_Aires",
            "La Plata": "America/Argentina/Buenos_Aires",
            "Rosario": "America/Argentina/Cordoba",
            "Córdoba": "America/Argentina/Cordoba",
            "Mendoza": "America/Argentina/Mendoza",
            "Salta": "America/Argentina/Salta",
        },
        (("es", 1),),
        (("en", 0.6), ("pt", 0.15), ("it", 0.05), ("gn", 0.02)),
        "es",
        "+54",
        ("Lucía", "Martina", "Valentina", "Camila", "Sofía", "Florencia", "Julieta", "Agustina", "Micaela"),
        ("Mateo", "Santiago", "Tomás", "Joaquín", "Facundo", "Nicolás", "Lautaro", "Ignacio", "Gonzalo"),
        ("González", "Rodríguez", "Fernández", "López", "Martínez", "Díaz", "Pérez", "Romero",
         "Sosa", "Álvarez", "Benítez", "Acosta", "Medina", "Herrera", "Ferreyra", "Giménez"),
        (
            ("Cooperativa de Trabajo Hornero", "Rosario"),
            ("Cooperativa de Trabajo Ceibo Digital", "Buenos Aires"),
            ("Cooperativa de Trabajo Quebracho", "Córdoba"),
            ("Cooperativa de Trabajo Tero Sistemas", "La Plata"),
            ("Cooperativa de Trabajo Jacarandá", "Buenos Aires"),
            ("Cooperativa de Trabajo Yaguareté", "Mendoza"),
            ("Cooperativa de Trabajo Pampa Libre", "Rosario"),
        ),
    ),
    Country(
        "BG",
        {"Sofia": "Europe/Sofia", "Plovdiv": "Europe/Sofia", "Varna": "Europe/Sofia",
         "Veliko Tarnovo": "Europe/Sofia"},
        (("bg", 1),),
        (("en", 0.8), ("de", 0.15), ("ru", 0.12), ("fr", 0.06)),
        "en",
        "+359",
        ("Maria", "Elena", "Ivanka", "Desislava", "Gergana", "Radostina", "Tsvetelina", "Yana", "Kalina"),
        ("Ivan", "Georgi", "Dimitar", "Nikolay", "Petar", "Hristo", "Stefan", "Todor", "Bozhidar"),
        ("Ivanov/Ivanova", "Georgiev/Georgieva", "Dimitrov/Dimitrova", "Petrov/Petrova",
         "Nikolov/Nikolova", "Stoyanov/Stoyanova", "Todorov/Todorova", "Kolev/Koleva",
         "Angelov/Angelova", "Marinov/Marinova", "Popov/Popova", "Yordanov/Yordanova"),
        (
            ("Kooperativa Lipa", "Sofia"),
            ("Kooperativa Rila Kod", "Sofia"),
            ("Kooperativa Zora", "Plovdiv"),
            ("Kooperativa Kalina", "Varna"),
        ),
    ),
    Country(
        "ES",
        {"Madrid": "Europe/Madrid", "Barcelona": "Europe/Madrid", "Girona": "Europe/Madrid",
         "Valencia": "Europe/Madrid", "Sevilla": "Europe/Madrid", "Bilbao": "Europe/Madrid",
         "A Coruña": "Europe/Madrid", "Las Palmas de Gran Canaria": "Atlantic/Canary"},
        (("es", 78), ("ca", 14), ("eu", 4), ("gl", 4)),
        (("es", 1.0), ("en", 0.65), ("fr", 0.12), ("pt", 0.05)),
        "es",
        "+34",
        ("Laia", "Marta", "Carmen", "Nuria", "Ainhoa", "Irene", "Paula", "Montse", "Uxía"),
        ("Jordi", "Pablo", "Javier", "Iker", "Álvaro", "Sergio", "Xabier", "Pau", "Andrés"),
        ("García", "Martínez", "Sánchez", "Romero", "Puig", "Ferrer", "Vidal", "Etxeberria",
         "Iglesias", "Castro", "Navarro", "Molina", "Ortega", "Soler"),
        (
            ("Alzina Sistemes SCCL", "Barcelona"),
            ("Tramuntana Cooperativa SCCL", "Girona"),
            ("Olivera Diseño S. Coop.", "Sevilla"),
            ("Ribera Digital S. Coop.", "Valencia"),
            ("Gure Sarea Koop. E.", "Bilbao"),
            ("Carballo Dixital S. Coop. Galega", "A Coruña"),
            ("Mar de Fondo S. Coop.", "Madrid"),
        ),
    ),
    Country(
        "US",
        {"New York": "America/New_York", "Philadelphia": "America/New_York",
         "Chicago": "America/Chicago", "Minneapolis": "America/Chicago",
         "Madison": "America/Chicago", "Austin": "America/Chicago", "Denver": "America/Denver",
         "Portland": "America/Los_Angeles", "Oakland": "America/Los_Angeles"},
        (("en", 88), ("es", 12)),
        (("en", 1.0), ("es", 0.2), ("fr", 0.05), ("zh", 0.03), ("vi", 0.02)),
        "en",
        "+1",
        ("Emily", "Jessica", "Ashley", "Maya", "Keisha", "Rachel", "Megan", "Rosa", "Grace"),
        ("Michael", "Jamal", "Tyler", "Kevin", "Marcus", "Daniel", "Luis", "Ethan", "Brandon"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
         "Washington", "Nguyen", "Thompson", "Martinez", "Anderson", "Robinson", "Lee"),
        (
            ("Prairie Works Cooperative", "Minneapolis"),
            ("Red Maple Tech Cooperative", "Philadelphia"),
            ("Bluestem Worker Cooperative", "Madison"),
            ("Cardinal Code Collective", "Chicago"),
            ("Cedar & Pine Design Co-op", "Portland"),
            ("Mesa Verde Data Cooperative", "Denver"),
            ("Bay Commons Cooperative", "Oakland"),
            ("Brick Street Worker Co-op", "New York"),
        ),
    ),
    Country(
        "JP",
        {"Tokyo": "Asia/Tokyo", "Osaka": "Asia/Tokyo", "Kyoto": "Asia/Tokyo",
         "Fukuoka": "Asia/Tokyo"},
        (("ja", 1),),
        (("en", 0.55), ("ko", 0.04), ("zh", 0.04)),
        "en",
        "+81",
        ("Yui", "Haruka", "Aoi", "Sakura", "Misaki", "Yuka", "Naomi", "Emi"),
        ("Haruto", "Ren", "Sota", "Takumi", "Kenji", "Daiki", "Hiroshi", "Yuto"),
        ("Tanaka", "Suzuki", "Takahashi", "Watanabe", "Itō", "Yamamoto", "Nakamura",
         "Kobayashi", "Katō", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue"),
        (
            ("Kaede Workers' Co-op", "Kyoto"),
            ("Tsubame Workers' Co-op", "Tokyo"),
            ("Minato Workers' Co-op", "Osaka"),
        ),
    ),
    Country(
        "DE",
        {"Berlin": "Europe/Berlin", "Hamburg": "Europe/Berlin", "Leipzig": "Europe/Berlin",
         "Köln": "Europe/Berlin", "Freiburg": "Europe/Berlin", "München": "Europe/Berlin"},
        (("de", 94), ("tr", 6)),
        (("de", 1.0), ("en", 0.85), ("fr", 0.15), ("es", 0.08)),
        "en",
        "+49",
        ("Anna", "Lena", "Julia", "Katharina", "Sophie", "Miriam", "Leonie", "Hannah"),
        ("Lukas", "Jonas", "Felix", "Tobias", "Florian", "Moritz", "Jan", "Maximilian"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Koch", "Richter", "Wolf", "Neumann", "Yılmaz"),  # noqa: RUF001
        (
            ("Lindenwerk eG", "Leipzig"),
            ("Hafenkante Digital eG", "Hamburg"),
            ("Kollektiv Eichhorn eG", "Berlin"),
            ("Brückenbau Software eG", "Köln"),
            ("Schwarzwald Kooperative eG", "Freiburg"),
        ),
    ),
    Country(
        "FR",
        {"Paris": "Europe/Paris", "Lyon": "Europe/Paris", "Nantes": "Europe/Paris",
         "Toulouse": "Europe/Paris", "Lille": "Europe/Paris", "Marseille": "Europe/Paris"},
        (("fr", 96), ("ar", 4)),
        (("fr", 1.0), ("en", 0.7), ("es", 0.15), ("de", 0.08), ("eo", 0.01)),
        "en",
        "+33",
        ("Camille", "Léa", "Manon", "Chloé", "Inès", "Julie", "Claire", "Amélie"),
        ("Lucas", "Hugo", "Théo", "Nicolas", "Julien", "Antoine", "Mathieu", "Karim"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Garnier", "Benali"),
        (
            ("SCOP Libellule", "Nantes"),
            ("SCOP Atelier du Chêne", "Lyon"),
            ("SCIC Coquelicot", "Lille", "other_coop"),
            ("SCOP Garrigue Numérique", "Toulouse"),
            ("SCOP La Fabrique Commune", "Paris"),
        ),
    ),
    Country(
        "IT",
        {"Bologna": "Europe/Rome", "Milano": "Europe/Rome", "Torino": "Europe/Rome",
         "Napoli": "Europe/Rome", "Roma": "Europe/Rome", "Firenze": "Europe/Rome"},
        (("it", 1),),
        (("en", 0.65), ("es", 0.15), ("fr", 0.12)),
        "en",
        "+39",
        ("Giulia", "Chiara", "Francesca", "Sara", "Martina", "Elena", "Alessia", "Federica"),
        ("Marco", "Luca", "Alessandro", "Matteo", "Davide", "Lorenzo", "Simone", "Andrea"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
         "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca"),
        (
            ("Girasole Società Cooperativa", "Bologna"),
            ("Cooperativa Rondine", "Torino"),
            ("Ulivo Digitale Società Cooperativa", "Napoli"),
            ("Cooperativa Sociale Lanterna", "Milano", "other_coop"),
            ("Cooperativa Tramontana", "Firenze"),
        ),
    ),
    Country(
        "PT",
        {"Lisboa": "Europe/Lisbon", "Porto": "Europe/Lisbon", "Coimbra": "Europe/Lisbon",
         "Braga": "Europe/Lisbon"},
        (("pt", 1),),
        (("en", 0.8), ("es", 0.3), ("fr", 0.1)),
        "en",
        "+351",
        ("Inês", "Beatriz", "Mariana", "Ana", "Catarina", "Joana", "Rita", "Sofia"),
        ("João", "Tiago", "Diogo", "Rui", "Pedro", "Miguel", "Duarte", "Nuno"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
         "Sousa", "Fernandes", "Gonçalves", "Lopes", "Marques", "Almeida"),
        (
            ("Cooperativa Sobreiro CRL", "Lisboa"),
            ("Andorinha Cooperativa de Trabalho CRL", "Porto"),
            ("Cooperativa Azulejo CRL", "Coimbra"),
        ),
    ),
    Country(
        "BR",
        {"São Paulo": "America/Sao_Paulo", "Porto Alegre": "America/Sao_Paulo",
         "Belo Horizonte": "America/Sao_Paulo", "Florianópolis": "America/Sao_Paulo",
         "Recife": "America/Recife", "Salvador": "America/Bahia", "Manaus": "America/Manaus"},
        (("pt", 1),),
        (("en", 0.5), ("es", 0.35)),
        "en",
        "+55",
        ("Ana", "Juliana", "Fernanda", "Camila", "Beatriz", "Larissa", "Luana", "Gabriela"),
        ("Gabriel", "Lucas", "Rafael", "Thiago", "Bruno", "Felipe", "Matheus", "Caio"),
        ("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Carvalho", "Ribeiro",
         "Almeida", "Nascimento", "Araújo", "Barbosa", "Cardoso", "Moreira"),
        (
            ("Cooperativa Ipê", "Porto Alegre"),
            ("Coop Sabiá Tecnologia", "São Paulo"),
            ("Cooperativa Jabuti", "Recife"),
            ("Cooperativa Caju Digital", "Salvador"),
            ("Coop Araucária", "Florianópolis"),
        ),
    ),
    Country(
        "MX",
        {"Ciudad de México": "America/Mexico_City", "Guadalajara": "America/Mexico_City",
         "Oaxaca": "America/Mexico_City", "Monterrey": "America/Monterrey",
         "Mérida": "America/Merida", "Tijuana": "America/Tijuana"},
        (("es", 1),),
        (("en", 0.6), ("fr", 0.05)),
        "es",
        "+52",
        ("Ximena", "Guadalupe", "Fernanda", "Daniela", "Mariana", "Itzel", "Andrea", "Valeria"),
        ("José", "Diego", "Emiliano", "Alejandro", "Jorge", "Rodrigo", "Miguel Ángel", "Luis"),
        ("Hernández", "García", "Martínez", "López", "González", "Ramírez", "Flores", "Cruz",
         "Morales", "Reyes", "Jiménez", "Vázquez", "Mendoza", "Ortiz"),
        (
            ("Cooperativa Colibrí S.C. de R.L.", "Ciudad de México"),
            ("Cooperativa Nopal Digital", "Oaxaca"),
            ("Cooperativa Ajolote", "Guadalajara"),
            ("Cooperativa Maguey S.C. de R.L.", "Mérida"),
        ),
    ),
    Country(
        "UY",
        {"Montevideo": "America/Montevideo", "Salto": "America/Montevideo",
         "Paysandú": "America/Montevideo"},
        (("es", 1),),
        (("en", 0.55), ("pt", 0.25)),
        "es",
        "+598",
        ("Florencia", "Sofía", "Valentina", "Lucía", "Carolina", "Natalia", "Agustina", "Paula"),
        ("Diego", "Martín", "Federico", "Santiago", "Gonzalo", "Rodrigo", "Bruno", "Matías"),
        ("Rodríguez", "González", "Fernández", "Silva", "Pereira", "Suárez", "Sosa", "Núñez",
         "Cabrera", "Olivera", "Méndez", "Acosta", "Píriz", "Techera"),
        (
            ("Cooperativa Ombú", "Montevideo"),
            ("Cooperativa de Trabajo Rambla", "Montevideo"),
            ("Cooperativa Cardal", "Salto"),
        ),
    ),
    Country(
        "CL",
        {"Santiago": "America/Santiago", "Valparaíso": "America/Santiago",
         "Concepción": "America/Santiago", "Valdivia": "America/Santiago"},
        (("es", 1),),
        (("en", 0.55), ("qu", 0.01)),
        "es",
        "+56",
        ("Catalina", "Javiera", "Constanza", "Francisca", "Antonia", "Valentina", "Fernanda", "Camila"),
        ("Benjamín", "Vicente", "Matías", "Cristóbal", "Felipe", "Sebastián", "Joaquín", "Diego"),
        ("Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez",
         "Sepúlveda", "Morales", "Fuentes", "Valenzuela", "Araya", "Espinoza"),
        (
            ("Cooperativa de Trabajo Copihue", "Santiago"),
            ("Cooperativa Quillay", "Valparaíso"),
            ("Cooperativa Araucaria Sur", "Valdivia"),
        ),
    ),
    Country(
        "CO",
        {"Bogotá": "America/Bogota", "Medellín": "America/Bogota", "Cali": "America/Bogota",
         "Bucaramanga": "America/Bogota"},
        (("es", 1),),
        (("en", 0.5), ("pt", 0.05)),
        "es",
        "+57",
        ("Valentina", "Daniela", "Laura", "Natalia", "Juliana", "Paola", "Carolina", "Manuela"),
        ("Andrés", "Juan Pablo", "Santiago", "Camilo", "Sebastián", "Julián", "Felipe", "Esteban"),
        ("Rodríguez", "Gómez", "González", "Martínez", "García", "López", "Hernández",
         "Sánchez", "Ramírez", "Pérez", "Torres", "Moreno", "Vargas", "Ospina"),
        (
            ("Cooperativa de Trabajo Asociado Guadua", "Medellín"),
            ("Cooperativa Frailejón", "Bogotá"),
            ("Cooperativa Ceiba Creativa", "Cali"),
        ),
    ),
    Country(
        "GB",
        {"London": "Europe/London", "Manchester": "Europe/London", "Bristol": "Europe/London",
         "Leeds": "Europe/London", "Glasgow": "Europe/London", "Cardiff": "Europe/London",
         "Sheffield": "Europe/London"},
        (("en", 95), ("cy", 5)),
        (("en", 1.0), ("fr", 0.15), ("es", 0.15), ("de", 0.05), ("cy", 0.03), ("hi", 0.03)),
        "en",
        "+44",
        ("Amelia", "Olivia", "Charlotte", "Priya", "Sophie", "Hannah", "Rhiannon", "Eleanor"),
        ("Oliver", "Harry", "James", "George", "Tom", "Callum", "Rhys", "Ravi", "Samuel"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Davies", "Patel",
         "Walker", "Wright", "Robinson", "Hughes", "Okafor"),
        (
            ("Hedgerow Digital Co-op", "Bristol"),
            ("Fieldfare Workers' Co-operative", "Manchester"),
            ("Kestrel Co-op Ltd", "Leeds"),
            ("Bramble Tech Co-operative", "Glasgow"),
            ("Dyfrgi Co-op", "Cardiff"),
            ("Millstone Collective", "Sheffield"),
        ),
    ),
    Country(
        "IE",
        {"Dublin": "Europe/Dublin", "Cork": "Europe/Dublin", "Galway": "Europe/Dublin"},
        (("en", 88), ("ga", 12)),
        (("en", 1.0), ("ga", 0.3), ("fr", 0.12), ("de", 0.05)),
        "en",
        "+353",
        ("Aoife", "Niamh", "Siobhán", "Ciara", "Sinéad", "Orla", "Róisín", "Emma"),
        ("Seán", "Conor", "Cian", "Darragh", "Oisín", "Liam", "Eoin", "Patrick"),
        ("Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor",
         "Doyle", "McCarthy", "Gallagher", "Lynch", "Quinn", "Nolan"),
        (
            ("Cairn Co-operative", "Dublin"),
            ("Comharchumann Fuinseog", "Galway"),
        ),
    ),
    Country(
        "NL",
        {"Amsterdam": "Europe/Amsterdam", "Utrecht": "Europe/Amsterdam",
         "Rotterdam": "Europe/Amsterdam", "Nijmegen": "Europe/Amsterdam"},
        (("nl", 1),),
        (("en", 0.95), ("de", 0.4), ("fr", 0.1)),
        "en",
        "+31",
        ("Sanne", "Emma", "Lotte", "Fleur", "Anouk", "Iris", "Femke", "Noor"),
        ("Daan", "Bram", "Sem", "Thijs", "Ruben", "Jasper", "Joost", "Stijn"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
         "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos"),
        (
            ("Coöperatie Wilg U.A.", "Utrecht"),
            ("Coöperatie Reiger U.A.", "Amsterdam"),
            ("Zeebries Coöperatie U.A.", "Rotterdam"),
        ),
    ),
    Country(
        "BE",
        {"Gent": "Europe/Brussels", "Antwerpen": "Europe/Brussels",
         "Bruxelles": "Europe/Brussels", "Liège": "Europe/Brussels"},
        (("nl", 55), ("fr", 45)),
        (("en", 0.85), ("fr", 0.4), ("nl", 0.35), ("de", 0.05)),
        "en",
        "+32",
        ("Marie", "Elise", "Lotte", "Charlotte", "Amélie", "Hanne", "Fien", "Louise"),
        ("Arthur", "Louis", "Wout", "Thomas", "Maxime", "Pieter", "Lucas", "Sander"),
        ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
         "Wouters", "Dubois", "Lambert", "Dupont", "Vermeulen"),
        (
            ("Beuk cv", "Gent"),
            ("Coopérative Ardoise", "Liège"),
        ),
    ),
    Country(
        "PL",
        {"Warszawa": "Europe/Warsaw", "Kraków": "Europe/Warsaw", "Wrocław": "Europe/Warsaw",
         "Gdańsk": "Europe/Warsaw", "Poznań": "Europe/Warsaw"},
        (("pl", 1),),
        (("en", 0.8), ("de", 0.15), ("uk", 0.06), ("ru", 0.05)),
        "en",
        "+48",
        ("Anna", "Katarzyna", "Magdalena", "Agnieszka", "Zofia", "Joanna", "Marta", "Aleksandra"),
        ("Piotr", "Tomasz", "Michał", "Krzysztof", "Paweł", "Jakub", "Kamil", "Łukasz"),
        ("Kowalski/Kowalska", "Nowak", "Wiśniewski/Wiśniewska", "Wójcik",
         "Kamiński/Kamińska", "Lewandowski/Lewandowska", "Zieliński/Zielińska",
         "Szymański/Szymańska", "Woźniak", "Dąbrowski/Dąbrowska", "Mazur", "Krawczyk"),
        (
            ("Spółdzielnia Pracy Jarzębina", "Kraków"),
            ("Spółdzielnia Socjalna Bursztyn", "Gdańsk", "other_coop"),
            ("Spółdzielnia Pracy Odra", "Wrocław"),
        ),
    ),
    Country(
        "GR",
        {"Athens": "Europe/Athens", "Thessaloniki": "Europe/Athens",
         "Heraklion": "Europe/Athens", "Patras": "Europe/Athens"},
        (("el", 1),),
        (("en", 0.85), ("de", 0.1), ("fr", 0.08), ("it", 0.05)),
        "en",
        "+30",
        ("Maria", "Eleni", "Katerina", "Sofia", "Despina", "Ioanna", "Georgia", "Anastasia"),
        ("Giorgos", "Nikos", "Kostas", "Dimitris", "Yannis", "Panagiotis", "Christos", "Stavros"),
        ("Papadopoulos/Papadopoulou", "Georgiou", "Nikolaidis/Nikolaidou", "Vlachos/Vlachou",
         "Konstantinidis/Konstantinidou", "Dimitriou", "Oikonomou", "Karagiannis/Karagianni",
         "Antoniou", "Makris/Makri", "Papageorgiou", "Christodoulou", "Alexiou", "Stavrou"),
        (
            ("Koinsep Elia", "Athens"),
            ("Synergatiki Kyma", "Thessaloniki"),
            ("Koinsep Thymari", "Heraklion"),
        ),
    ),
    Country(
        "CA",
        {"Montréal": "America/Toronto", "Québec": "America/Toronto",
         "Toronto": "America/Toronto", "Winnipeg": "America/Winnipeg",
         "Vancouver": "America/Vancouver", "Halifax": "America/Halifax"},
        (("en", 62), ("fr", 38)),
        (("en", 0.85), ("fr", 0.35), ("es", 0.08), ("zh", 0.03)),
        "en",
        "+1",
        ("Émilie", "Sarah", "Chloé", "Jessica", "Marie-Ève", "Olivia", "Geneviève", "Megan"),
        ("Gabriel", "Samuel", "Félix", "Liam", "Mathieu", "Ethan", "Olivier", "Noah"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Smith", "Brown", "Wilson",
         "MacDonald", "Gauthier", "Martin", "Lee", "Campbell", "Pelletier"),
        (
            ("Coopérative de travail Érable", "Montréal"),
            ("Driftwood Worker Co-op", "Vancouver"),
            ("Tamarack Tech Co-op", "Toronto"),
            ("Coopérative Huard Numérique", "Québec"),
        ),
    ),
    Country(
        "KE",
        {"Nairobi": "Africa/Nairobi", "Kisumu": "Africa/Nairobi", "Mombasa": "Africa/Nairobi",
         "Nakuru": "Africa/Nairobi"},
        (("sw", 1),),
        (("en", 0.95), ("fr", 0.03)),
        "en",
        "+254",
        ("Wanjiru", "Achieng", "Njeri", "Akinyi", "Wambui", "Faith", "Mercy", "Nafula"),
        ("Kamau", "Otieno", "Mwangi", "Kiprop", "Omondi", "Brian", "Kevin", "Wekesa"),
        ("Mwangi", "Otieno", "Kamau", "Wanjiku", "Ochieng", "Kiplagat", "Mutua", "Njoroge",
         "Odhiambo", "Kariuki", "Wafula", "Chebet", "Kimani", "Muthoni"),
        (
            ("Umoja Digital Co-operative Society", "Nairobi"),
            ("Pamoja Tech Co-operative Society", "Kisumu"),
            ("Twiga Creative Co-operative Society", "Mombasa"),
        ),
    ),
    Country(
        "ZA",
        {"Cape Town": "Africa/Johannesburg", "Johannesburg": "Africa/Johannesburg",
         "Durban": "Africa/Johannesburg"},
        (("zu", 30), ("xh", 20), ("af", 20), ("en", 30)),
        (("en", 0.95), ("af", 0.2), ("zu", 0.1)),
        "en",
        "+27",
        ("Thandiwe", "Nomvula", "Lerato", "Zanele", "Ayanda", "Anika", "Naledi", "Sarah"),
        ("Sipho", "Thabo", "Lwazi", "Bongani", "Pieter", "Themba", "Kagiso", "Johan"),
        ("Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Mokoena", "Botha", "van der Merwe",
         "Naidoo", "Mthembu", "Zulu", "Mahlangu", "Pretorius", "Jacobs", "Sithole"),
        (
            ("Fynbos Primary Co-operative", "Cape Town"),
            ("Masakhane Tech Co-operative", "Johannesburg"),
        ),
    ),
    Country(
        "IN",
        {"Bengaluru": "Asia/Kolkata", "Pune": "Asia/Kolkata", "Kochi": "Asia/Kolkata",
         "Chennai": "Asia/Kolkata"},
        (("hi", 35), ("ta", 20), ("ml", 20), ("mr", 20), ("bn", 5)),
        (("en", 0.95), ("hi", 0.4)),
        "en",
        "+91",
        ("Priya", "Ananya", "Kavya", "Lakshmi", "Divya", "Sneha", "Meera", "Aishwarya"),
        ("Arjun", "Rahul", "Vikram", "Karthik", "Rohan", "Aditya", "Suresh", "Nikhil"),
        ("Sharma", "Iyer", "Nair", "Patil", "Kulkarni", "Reddy", "Menon", "Pillai",
         "Deshpande", "Joshi", "Krishnan", "Rao", "Gupta", "Banerjee"),
        (
            ("Aranya Workers' Co-operative", "Bengaluru"),
            ("Sangam Tech Co-operative Society", "Pune"),
            ("Neem Design Co-operative", "Kochi"),
        ),
    ),
    Country(
        "AU",
        {"Melbourne": "Australia/Melbourne", "Sydney": "Australia/Sydney",
         "Brisbane": "Australia/Brisbane", "Perth": "Australia/Perth"},
        (("en", 1),),
        (("it", 0.05), ("el", 0.05), ("zh", 0.05), ("vi", 0.04), ("es", 0.05)),
        "en",
        "+61",
        ("Charlotte", "Olivia", "Isla", "Mia", "Chloe", "Ruby", "Zoe", "Grace"),
        ("Jack", "William", "Lachlan", "Cooper", "Oliver", "Noah", "Riley", "Hamish"),
        ("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Anderson",
         "Thomas", "Walker", "Papadakis", "Harris", "Martin", "Kelly"),
        (
            ("Banksia Co-operative", "Melbourne"),
            ("Wattle Works Co-op", "Brisbane"),
        ),
    ),
    Country(
        "RS",
        {"Beograd": "Europe/Belgrade", "Novi Sad": "Europe/Belgrade",
         "Niš": "Europe/Belgrade"},
        (("sr", 1),),
        (("en", 0.85), ("de", 0.15), ("ru", 0.1), ("hr", 0.05)),
        "en",
        "+381",
        ("Milica", "Jelena", "Ana", "Marija", "Jovana", "Tijana", "Dragana", "Ivana"),
        ("Nikola", "Marko", "Stefan", "Luka", "Miloš", "Aleksandar", "Nemanja", "Dušan"),
        ("Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić",
         "Stanković", "Pavlović", "Milenković", "Popović", "Kostić", "Lazić", "Savić"),
        (
            ("Zadruga Javor", "Beograd"),
            ("Zadruga Sunce", "Novi Sad"),
        ),
    ),
)

# fmt: on


class FederationSpec(NamedTuple):
    name: str
    country: str
    city: str
    short_description: str
    member_countries: tuple[str, ...]  # empty: the international federation, open to all


FEDERATIONS: tuple[FederationSpec, ...] = (
    FederationSpec(
        "Red de Cooperativas Digitales del Plata",
        "AR",
        "Buenos Aires",
        "A federation of technology worker co-ops on both banks of the Río de la Plata.",
        ("AR", "UY"),
    ),
    FederationSpec(
        "Unión de Cooperativas de Trabajo Digital",
        "ES",
        "Madrid",
        "The Spanish union of worker co-ops that build, host and design digital tools.",
        ("ES",),
    ),
    FederationSpec(
        "Worker-Owned Tech Alliance",
        "US",
        "Philadelphia",
        "A North American federation of worker-owned technology and design co-ops.",
        ("US", "CA"),
    ),
    FederationSpec(
        "Federation of Co-operative Makers",
        "GB",
        "Manchester",
        "Worker co-ops in Britain and Ireland sharing work, tools and training.",
        ("GB", "IE"),
    ),
    FederationSpec(
        "Réseau des Coopératives Numériques",
        "FR",
        "Lyon",
        "A network of digital SCOPs and SCICs in France and Belgium.",
        ("FR", "BE"),
    ),
    FederationSpec(
        "Rede Cooperativa Digital",
        "BR",
        "São Paulo",
        "Technology co-ops in Brazil and Portugal that share projects and know-how.",
        ("BR", "PT"),
    ),
    FederationSpec(
        "Worker Co-ops Without Borders",
        "BE",
        "Bruxelles",
        "The international federation of the network: worker co-ops from every continent.",
        (),
    ),
)


class PartnerSpec(NamedTuple):
    name: str
    country: str
    city: str
    short_description: str
    sectors: tuple[str, ...]


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec(
        "Banca Solidaria Andina",
        "CO",
        "Bogotá",
        "An ethical bank that lends to co-ops and community enterprises in the Andes.",
        ("Accounting and administration",),
    ),
    PartnerSpec(
        "Fondazione Beni Comuni Digitali",
        "IT",
        "Torino",
        "A foundation funding free software and digital commons in Italy.",
        ("Education and training", "Data and research"),
    ),
    PartnerSpec(
        "Stichting Open Gemeengoed",
        "NL",
        "Amsterdam",
        "A Dutch foundation that supports open-source tools for civil society.",
        ("Software development",),
    ),
    PartnerSpec(
        "Ushirika Learning Centre",
        "KE",
        "Nairobi",
        "A training centre for co-operative founders and managers in East Africa.",
        ("Education and training", "Co-op development"),
    ),
    PartnerSpec(
        "Caisse Solidaire du Plateau",
        "CA",
        "Montréal",
        "A credit union for the social economy in Québec.",
        ("Accounting and administration",),
    ),
)


DEMO_PASSWORD = "patio-demo-2026"  # noqa: S105 - a published demo password, by design


class DemoAccount(NamedTuple):
    email: str
    role: str  # "admin", "coordinator" or "member"
    display_name: str
    coop: str  # name of the co-op, one of the demo co-ops above
    skills: tuple[tuple[str, int, int], ...]  # (skill name, level, years)
    bio: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin@patio.example",
        "admin",
        "Elena Petrova",
        "Kooperativa Lipa",
        (
            ("Meeting facilitation", 4, 12),
            ("Project management", 3, 9),
            ("Sociocracy", 3, 6),
            ("Bookkeeping", 2, 4),
        ),
        "Network admin of Patio. Keeps the directory tidy and welcomes new co-ops. "
        "Worker-member of Kooperativa Lipa in Sofia.",
    ),
    DemoAccount(
        "coordinator@patio.example",
        "coordinator",
        "Lucía Ferreyra",
        "Cooperativa de Trabajo Hornero",
        (
            ("Django", 4, 10),
            ("Python", 4, 11),
            ("PostgreSQL", 3, 8),
            ("Meeting facilitation", 3, 5),
            ("Agile", 3, 6),
        ),
        "Backend developer and co-op admin at Hornero in Rosario. Coordinates the network's "
        "tech circle and likes teaching Django to newer members.",
    ),
    DemoAccount(
        "member@patio.example",
        "member",
        "Tom Okafor",
        "Hedgerow Digital Co-op",
        (("UX research", 3, 6), ("Accessibility", 3, 5), ("Interaction design", 2, 4)),
        "Designer at Hedgerow in Bristol, mostly accessibility and user research.",
    ),
)

BIO_OPENINGS: tuple[str, ...] = (
    "{role} at {coop} in {city}.",
    "Worker-member of {coop} since {since}, working as a {role_lower}.",
    "I'm a {role_lower} at {coop}, based in {city}.",
    "{role} and worker-owner at {coop}.",
)
BIO_SKILLS: tuple[str, ...] = (
    "Mostly {skill1} and {skill2} these days.",
    "I work with {skill1} and {skill2}.",
    "Happy to help with {skill1}, learning {skill3}.",
    "Ask me about {skill1}.",
)
BIO_CLOSINGS: tuple[str, ...] = (
    "",
    "Happy to mentor newer members.",
    "Interested in inter-co-op projects.",
    "Part-time on network work; I answer messages on Fridays.",
    "Looking for co-ops to share work with.",
    "Also involved in our local co-op federation.",
)
