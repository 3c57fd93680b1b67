"""The demo's guides: ten a co-op would value, each in English, Spanish and French (one written
in Spanish first), with the learning paths through them. Read by `hub/demo.py`."""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    title: str
    summary: str
    body: str


class GuideSpec(NamedTuple):
    slug: str
    category: str
    language: str  # of the original
    tags: tuple[str, ...]
    authors: tuple[str, ...]  # demo account emails, or "person:N" for the Nth listed person
    texts: dict[str, Text]  # by language, the original's included


GUIDES: tuple[GuideSpec, ...] = (
    GuideSpec(
        "choosing-an-accounting-tool",
        "choosing_software",
        "en",
        ("accounting", "free software", "bookkeeping"),
        ("admin@patio.example",),
        {
            "en": Text(
                "Choosing an accounting tool for a worker co-op",
                "What to compare before your co-op moves its books: member shares, payroll, "
                "your accountant, and who can read what.",
                "## Start from what you do every month\n\n"
                "List the work your books really hold: invoices in several currencies, payroll, "
                "**member capital accounts**, the yearly surplus shared by hours worked. Most "
                "tools handle invoices; few handle member shares well.\n\n"
                "## What to compare\n\n"
                "- Can it keep one capital account per member, with their contributions?\n"
                "- Does your accountant accept its exports (CSV, your country's standard file)?\n"
                "- Can every member read the accounts without being able to change them?\n"
                "- Can you leave: export everything, in a format another tool reads?\n\n"
                "## Try it with a real month\n\n"
                "Enter last month's invoices and payroll in two candidates, side by side. The one "
                "your bookkeeper finishes first, and can explain to the assembly, is usually the "
                "right one. Free software such as Odoo Community, Dolibarr or GnuCash is worth "
                "trying first: no per-seat price, and your data stays yours.",
            ),
            "es": Text(
                "Elegir una herramienta de contabilidad para una cooperativa de trabajo",
                "Qué comparar antes de mudar la contabilidad: aportes de las personas socias, "
                "sueldos, tu contadora y quién puede ver qué.",
                "## Empezá por lo que hacés cada mes\n\n"
                "Anotá lo que tu contabilidad contiene de verdad: facturas en varias monedas, "
                "sueldos, **cuentas de capital de cada persona socia**, el excedente anual "
                "repartido según las horas trabajadas. Casi todas las herramientas manejan "
                "facturas; pocas manejan bien el capital social.\n\n"
                "## Qué comparar\n\n"
                "- ¿Lleva una cuenta de capital por persona socia, con sus aportes?\n"
                "- ¿Tu contadora acepta sus exportaciones (CSV, el formato oficial de tu país)?\n"
                "- ¿Todas las personas socias pueden leer las cuentas sin poder cambiarlas?\n"
                "- ¿Podés irte: exportar todo en un formato que otra herramienta lea?\n\n"
                "## Probala con un mes real\n\n"
                "Cargá las facturas y los sueldos del mes pasado en dos candidatas, en paralelo. "
                "La que tu tesorera termina primero, y puede explicar en la asamblea, suele ser "
                "la buena. Vale la pena probar primero software libre como Odoo Community, "
                "Dolibarr o GnuCash: sin precio por usuario, y tus datos siguen siendo tuyos.",
            ),
            "fr": Text(
                "Choisir un logiciel de comptabilité pour une coopérative de travail",
                "Ce qu'il faut comparer avant de changer d'outil : parts sociales, paie, votre "
                "expert-comptable, et qui peut lire quoi.",
                "## Partez de ce que vous faites chaque mois\n\n"
                "Listez ce que votre comptabilité contient vraiment : factures en plusieurs "
                "devises, paie, **comptes de parts sociales de chaque associé·e**, l'excédent "
                "annuel réparti selon les heures travaillées. La plupart des outils gèrent les "
                "factures ; peu gèrent bien le capital des associé·es.\n\n"
                "## Ce qu'il faut comparer\n\n"
                "- Tient-il un compte de capital par associé·e, avec ses apports ?\n"
                "- Votre expert-comptable accepte-t-il ses exports (CSV, le fichier officiel de "
                "votre pays) ?\n"
                "- Chaque associé·e peut-il lire les comptes sans pouvoir les modifier ?\n"
                "- Pouvez-vous partir : tout exporter, dans un format qu'un autre outil lit ?\n\n"
                "## Essayez avec un vrai mois\n\n"
                "Saisissez les factures et la paie du mois dernier dans deux candidats, côte à "
                "côte. Celui que votre trésorière termine en premier, et sait expliquer en "
                "assemblée, est souvent le bon. Les logiciels libres comme Odoo Community, "
                "Dolibarr ou GnuCash valent d'être essayés d'abord : pas de prix par poste, et "
                "vos données restent les vôtres.",
            ),
        },
    ),
    GuideSpec(
        "gdpr-basics-for-a-coop",
        "data_protection",
        "en",
        ("GDPR", "privacy", "members' data"),
        ("person:3",),
        {
            "en": Text(
                "GDPR basics for a co-op",
                "The five things a small co-op must have in place for the personal data of its "
                "members, clients and their users.",
                "## 1. Know what you hold\n\n"
                "Write one page: which personal data you keep (members' addresses, clients' "
                "contacts, the users of the sites you build), where, and why. That page is your "
                "record of processing.\n\n"
                "## 2. A reason for each\n\n"
                "Each use needs a legal basis: a contract (payroll, a client project), a legal "
                "duty (accounts), or consent (a newsletter). Consent must be as easy to withdraw "
                "as to give.\n\n"
                "## 3. Keep it only as long as needed\n\n"
                "Decide a retention period for each kind and delete on time. Old backups count.\n\n"
                "## 4. Contracts with those who process for you\n\n"
                "Your host, your mail provider and every co-op you subcontract sign a data "
                "processing agreement.\n\n"
                "## 5. Know what to do when it goes wrong\n\n"
                "A breach that risks people's rights is reported to the authority within "
                "**72 hours**. Agree now who decides, and who writes the report.",
            ),
            "es": Text(
                "Lo básico del RGPD para una cooperativa",
                "Las cinco cosas que una cooperativa pequeña debe tener en orden con los datos "
                "personales de sus personas socias, sus clientes y los usuarios de estos.",
                "## 1. Sabé qué datos tenés\n\n"
                "Escribí una página: qué datos personales guardan (direcciones de las personas "
                "socias, contactos de clientes, usuarios de los sitios que construyen), dónde y "
                "para qué. Esa página es su registro de actividades de tratamiento.\n\n"
                "## 2. Un motivo para cada uso\n\n"
                "Cada uso necesita una base legal: un contrato (sueldos, un proyecto), una "
                "obligación legal (la contabilidad) o el consentimiento (un boletín). Retirar el "
                "consentimiento debe ser tan fácil como darlo.\n\n"
                "## 3. Guardalos solo el tiempo necesario\n\n"
                "Fijen un plazo de conservación para cada tipo y borren a tiempo. Las copias de "
                "seguridad viejas también cuentan.\n\n"
                "## 4. Contratos con quienes tratan datos por ustedes\n\n"
                "Su proveedor de alojamiento, el de correo y cada cooperativa subcontratada "
                "firman un acuerdo de encargo de tratamiento.\n\n"
                "## 5. Sepan qué hacer si algo falla\n\n"
                "Una brecha que pone en riesgo los derechos de las personas se notifica a la "
                "autoridad en **72 horas**. Acuerden hoy quién decide y quién redacta el aviso.",
            ),
            "fr": Text(
                "Les bases du RGPD pour une coopérative",
                "Les cinq choses qu'une petite coopérative doit avoir en place pour les données "
                "personnelles de ses associé·es, de ses clients et de leurs utilisateurs.",
                "## 1. Savoir ce que vous détenez\n\n"
                "Écrivez une page : quelles données personnelles vous gardez (adresses des "
                "associé·es, contacts des clients, utilisateurs des sites que vous construisez), "
                "où, et pourquoi. Cette page est votre registre des traitements.\n\n"
                "## 2. Une raison pour chaque usage\n\n"
                "Chaque usage a besoin d'une base légale : un contrat (la paie, un projet "
                "client), une obligation légale (la comptabilité) ou le consentement (une lettre "
                "d'information). Retirer son consentement doit être aussi simple que le donner.\n\n"
                "## 3. Ne garder que le temps nécessaire\n\n"
                "Fixez une durée de conservation pour chaque type et supprimez à temps. Les "
                "vieilles sauvegardes comptent aussi.\n\n"
                "## 4. Des contrats avec vos sous-traitants\n\n"
                "Votre hébergeur, votre fournisseur de messagerie et chaque coopérative à qui "
                "vous sous-traitez signent un accord de sous-traitance des données.\n\n"
                "## 5. Savoir quoi faire en cas d'incident\n\n"
                "Une violation qui menace les droits des personnes est notifiée à l'autorité "
                "sous **72 heures**. Décidez dès maintenant qui tranche et qui rédige.",
            ),
        },
    ),
    GuideSpec(
        "consent-decisions-step-by-step",
        "self_management",
        "en",
        ("sociocracy", "consent", "meetings"),
        ("coordinator@patio.example",),
        {
            "en": Text(
                "Consent decisions, step by step",
                "How a circle decides by consent in one meeting, and what makes an objection "
                "an objection rather than a preference.",
                "Consent is not consensus: a proposal passes when **nobody has a reasoned "
                "objection**, not when everybody loves it. It is how Patio's circles decide.\n\n"
                "## The rounds\n\n"
                "1. **Present.** The proposer reads the proposal and the need behind it.\n"
                "2. **Clarify.** Questions only, one round. No opinions yet.\n"
                "3. **React.** Everyone says briefly what they think. No discussion.\n"
                "4. **Amend.** The proposer may change the proposal.\n"
                "5. **Objections.** Each person says *consent* or *objection*.\n"
                "6. **Integrate.** The circle changes the proposal until the objection is met.\n\n"
                "## What counts as an objection\n\n"
                "An objection names a harm: doing this would stop the circle reaching its aim, "
                'or break one of our agreements. "I would do it differently" is a reaction.\n\n'
                "Record the decision with a review date: good enough for now, safe enough to "
                "try.",
            ),
            "es": Text(
                "Decidir por consentimiento, paso a paso",
                "Cómo un círculo decide por consentimiento en una sola reunión, y qué hace que "
                "una objeción sea una objeción y no una preferencia.",
                "El consentimiento no es consenso: una propuesta se aprueba cuando **nadie tiene "
                "una objeción razonada**, no cuando a todo el mundo le encanta. Así deciden los "
                "círculos de Patio.\n\n"
                "## Las rondas\n\n"
                "1. **Presentar.** Quien propone lee la propuesta y la necesidad detrás.\n"
                "2. **Aclarar.** Solo preguntas, una ronda. Todavía sin opiniones.\n"
                "3. **Reaccionar.** Cada persona dice brevemente qué piensa. Sin debate.\n"
                "4. **Ajustar.** Quien propone puede cambiar la propuesta.\n"
                "5. **Objeciones.** Cada persona dice *consiento* u *objeto*.\n"
                "6. **Integrar.** El círculo cambia la propuesta hasta resolver la objeción.\n\n"
                "## Qué cuenta como objeción\n\n"
                "Una objeción nombra un daño: hacer esto impediría que el círculo cumpla su "
                'propósito, o rompería uno de nuestros acuerdos. "Yo lo haría distinto" es una '
                "reacción.\n\n"
                "Registren la decisión con una fecha de revisión: suficientemente buena por "
                "ahora, suficientemente segura para probar.",
            ),
            "fr": Text(
                "Décider par consentement, étape par étape",
                "Comment un cercle décide par consentement en une réunion, et ce qui fait "
                "d'une objection une objection plutôt qu'une préférence.",
                "Le consentement n'est pas le consensus : une proposition passe quand **personne "
                "n'a d'objection argumentée**, pas quand tout le monde l'adore. C'est ainsi que "
                "décident les cercles de Patio.\n\n"
                "## Les tours\n\n"
                "1. **Présenter.** La personne qui propose lit la proposition et le besoin.\n"
                "2. **Clarifier.** Des questions seulement, un tour. Pas encore d'avis.\n"
                "3. **Réagir.** Chacun dit brièvement ce qu'il en pense. Sans débat.\n"
                "4. **Amender.** La personne qui propose peut modifier sa proposition.\n"
                "5. **Objections.** Chacun dit *je consens* ou *j'objecte*.\n"
                "6. **Intégrer.** Le cercle modifie la proposition jusqu'à lever l'objection.\n\n"
                "## Ce qui compte comme objection\n\n"
                "Une objection nomme un tort : faire cela empêcherait le cercle d'atteindre sa "
                "raison d'être, ou romprait l'un de nos accords. « Je ferais autrement » est une "
                "réaction.\n\n"
                "Consignez la décision avec une date de révision : assez bonne pour l'instant, "
                "assez sûre pour essayer.",
            ),
        },
    ),
    GuideSpec(
        "precio-del-trabajo-entre-cooperativas",
        "pricing_work",
        "es",
        ("pricing", "rates", "inter-co-op"),
        ("coordinator@patio.example", "person:7"),
        {
            "es": Text(
                "Poner precio al trabajo entre cooperativas, de forma justa",
                "Cómo acordar una tarifa cuando varias cooperativas de países distintos "
                "trabajan en el mismo proyecto.",
                "Cuando una cooperativa de Rosario y otra de Bristol comparten un proyecto, la "
                "misma hora no cuesta lo mismo en cada lugar. Estas son las reglas que usamos.\n\n"
                "## 1. Un precio para el cliente, no por persona\n\n"
                "El cliente paga una tarifa por rol (desarrollo, diseño, coordinación), la misma "
                "quien sea que lo haga. Así nadie compite bajando su precio.\n\n"
                "## 2. Cada cooperativa cobra lo que necesita para vivir bien\n\n"
                "Cada una declara su tarifa de costo: sueldo digno local, cargas sociales y una "
                "parte de gastos comunes. La diferencia con el precio al cliente va a un fondo "
                "del proyecto.\n\n"
                "## 3. El fondo se reparte en asamblea\n\n"
                "Al cerrar el proyecto, el equipo decide por consentimiento: imprevistos, "
                "formación, o un aporte al fondo común de la red.\n\n"
                "## 4. Todo por escrito, antes de empezar\n\n"
                "Tarifas, moneda, plazos de pago y quién factura al cliente, en una página que "
                "todas firman.",
            ),
            "en": Text(
                "Pricing inter-co-op work fairly",
                "How to agree on rates when co-ops from different countries work on one project.",
                "When a co-op in Rosario and one in Bristol share a project, the same hour does "
                "not cost the same in each place. These are the rules we use.\n\n"
                "## 1. One price for the client, not per person\n\n"
                "The client pays a rate per role (development, design, coordination), the same "
                "whoever does it. So nobody competes by lowering their price.\n\n"
                "## 2. Each co-op is paid what it needs to live well\n\n"
                "Each declares its cost rate: a decent local wage, social charges and a share of "
                "common costs. The difference from the client's price goes to a project fund.\n\n"
                "## 3. The fund is shared out in assembly\n\n"
                "When the project closes, the team decides by consent: contingencies, training, "
                "or a contribution to the network's common fund.\n\n"
                "## 4. All in writing, before you start\n\n"
                "Rates, currency, payment terms and who invoices the client, on one page every "
                "co-op signs.",
            ),
            "fr": Text(
                "Fixer un prix juste pour le travail entre coopératives",
                "Comment s'accorder sur les tarifs quand des coopératives de pays différents "
                "travaillent sur un même projet.",
                "Quand une coopérative de Rosario et une de Bristol partagent un projet, la même "
                "heure ne coûte pas la même chose partout. Voici les règles que nous suivons.\n\n"
                "## 1. Un prix pour le client, pas par personne\n\n"
                "Le client paie un tarif par rôle (développement, design, coordination), le même "
                "quelle que soit la personne. Ainsi personne ne casse les prix.\n\n"
                "## 2. Chaque coopérative reçoit ce qu'il lui faut pour bien vivre\n\n"
                "Chacune déclare son tarif de revient : un salaire digne local, les charges "
                "sociales et une part des frais communs. L'écart avec le prix client alimente un "
                "fonds de projet.\n\n"
                "## 3. Le fonds se partage en assemblée\n\n"
                "À la clôture, l'équipe décide par consentement : imprévus, formation, ou un "
                "apport au fonds commun du réseau.\n\n"
                "## 4. Tout par écrit, avant de commencer\n\n"
                "Tarifs, devise, délais de paiement et qui facture le client, sur une page que "
                "toutes signent.",
            ),
        },
    ),
    GuideSpec(
        "running-a-project-across-timezones",
        "inter_coop_projects",
        "en",
        ("remote work", "timezones", "meetings"),
        ("coordinator@patio.example", "member@patio.example"),
        {
            "en": Text(
                "Running a project across timezones",
                "Overlap hours, written decisions and meetings that rotate, so nobody always "
                "works at midnight.",
                "## Find the overlap, and protect it\n\n"
                "Two hours a day when everyone is awake is enough. Put the team's core hours in "
                "the project page, in UTC, and keep meetings inside them.\n\n"
                "## Decide in writing\n\n"
                "A decision taken in a call that half the team missed is not a decision yet. "
                "Write the proposal in the project's channel, give it a day for every timezone, "
                "then record the outcome.\n\n"
                "## Rotate the painful slot\n\n"
                "If a weekly call cannot fit everyone's day, alternate two times, so the early "
                "start and the late evening are shared.\n\n"
                "## Hand over at the end of your day\n\n"
                "Three lines before you stop: what I did, what is blocked, what the next person "
                "can pick up. The project moves while you sleep.",
            ),
            "es": Text(
                "Llevar un proyecto entre husos horarios",
                "Horas en común, decisiones por escrito y reuniones que rotan, para que nadie "
                "trabaje siempre a medianoche.",
                "## Encontrá las horas en común y protegelas\n\n"
                "Alcanzan dos horas al día en las que todo el equipo está despierto. Pongan esas "
                "horas en la página del proyecto, en UTC, y hagan las reuniones dentro de ellas."
                "\n\n"
                "## Decidan por escrito\n\n"
                "Una decisión tomada en una llamada a la que faltó medio equipo todavía no es una "
                "decisión. Escriban la propuesta en el canal del proyecto, den un día para que "
                "respondan todos los husos horarios y registren el resultado.\n\n"
                "## Roten el horario incómodo\n\n"
                "Si la reunión semanal no entra en el día de todas las personas, alternen dos "
                "horarios: así el madrugón y la noche se reparten.\n\n"
                "## Dejá el relevo al terminar tu día\n\n"
                "Tres líneas antes de cortar: qué hice, qué está trabado, qué puede tomar la "
                "próxima persona. El proyecto avanza mientras dormís.",
            ),
            "fr": Text(
                "Mener un projet sur plusieurs fuseaux horaires",
                "Des heures communes, des décisions écrites et des réunions qui tournent, pour "
                "que personne ne travaille toujours à minuit.",
                "## Trouvez les heures communes, et protégez-les\n\n"
                "Deux heures par jour où toute l'équipe est éveillée suffisent. Indiquez ces "
                "heures sur la page du projet, en UTC, et tenez les réunions dedans.\n\n"
                "## Décidez par écrit\n\n"
                "Une décision prise pendant un appel que la moitié de l'équipe a manqué n'est "
                "pas encore une décision. Écrivez la proposition dans le canal du projet, laissez "
                "une journée à chaque fuseau, puis consignez le résultat.\n\n"
                "## Faites tourner le créneau pénible\n\n"
                "Si l'appel hebdomadaire ne tient pas dans la journée de chacun, alternez deux "
                "horaires : le lever tôt et la soirée tardive se partagent.\n\n"
                "## Passez le relais en fin de journée\n\n"
                "Trois lignes avant d'arrêter : ce que j'ai fait, ce qui bloque, ce que la "
                "personne suivante peut reprendre. Le projet avance pendant votre sommeil.",
            ),
        },
    ),
    GuideSpec(
        "choosing-a-chat-tool",
        "choosing_software",
        "en",
        ("communication", "free software", "instead of Slack"),
        ("person:11",),
        {
            "en": Text(
                "A chat tool your co-op owns: instead of Slack",
                "Matrix, Mattermost or Zulip: how to choose, and how to move without losing "
                "anyone on the way.",
                "## What matters for a co-op\n\n"
                "- **History you keep.** Free plans of commercial tools hide old messages; your "
                "decisions live there.\n"
                "- **Talking with other co-ops.** Matrix federates: each co-op runs or rents its "
                "own server and still talks to the others. Mattermost and Zulip are one server "
                "per organisation.\n"
                "- **Threads.** Zulip's topics suit teams that read asynchronously across "
                "timezones.\n\n"
                "## Hosting\n\n"
                "A network co-op can host it for you; ask in the Tech infrastructure circle. "
                "Self-hosting needs someone who applies security updates every month.\n\n"
                "## Moving\n\n"
                "Pick a date, import what the tool allows, and close the old channels the same "
                "week. Two chats at once means nobody knows where to look.",
            ),
            "es": Text(
                "Un chat que sea de tu cooperativa: en lugar de Slack",
                "Matrix, Mattermost o Zulip: cómo elegir, y cómo mudarse sin perder a nadie en "
                "el camino.",
                "## Qué importa para una cooperativa\n\n"
                "- **Un historial que conservan.** Los planes gratuitos de las herramientas "
                "comerciales esconden los mensajes viejos, y ahí están sus decisiones.\n"
                "- **Hablar con otras cooperativas.** Matrix es federado: cada cooperativa tiene "
                "o alquila su servidor y aun así habla con las demás. Mattermost y Zulip son un "
                "servidor por organización.\n"
                "- **Hilos.** Los temas de Zulip les sirven a los equipos que leen de forma "
                "asíncrona entre husos horarios.\n\n"
                "## Alojamiento\n\n"
                "Una cooperativa de la red puede alojarlo; pregunten en el círculo de "
                "Infraestructura técnica. Alojarlo ustedes necesita a alguien que aplique las "
                "actualizaciones de seguridad cada mes.\n\n"
                "## La mudanza\n\n"
                "Elijan una fecha, importen lo que la herramienta permita y cierren los canales "
                "viejos esa misma semana. Dos chats a la vez es no saber dónde mirar.",
            ),
            "fr": Text(
                "Une messagerie qui appartient à votre coopérative : au lieu de Slack",
                "Matrix, Mattermost ou Zulip : comment choisir, et comment migrer sans perdre "
                "personne en route.",
                "## Ce qui compte pour une coopérative\n\n"
                "- **Un historique que vous gardez.** Les offres gratuites des outils "
                "commerciaux masquent les anciens messages, et vos décisions y sont.\n"
                "- **Parler avec d'autres coopératives.** Matrix est fédéré : chaque coopérative "
                "a ou loue son serveur et parle quand même aux autres. Mattermost et Zulip, "
                "c'est un serveur par organisation.\n"
                "- **Des fils.** Les sujets de Zulip conviennent aux équipes qui lisent en "
                "différé, d'un fuseau à l'autre.\n\n"
                "## Hébergement\n\n"
                "Une coopérative du réseau peut l'héberger pour vous ; demandez au cercle "
                "Infrastructure technique. L'auto-hébergement demande quelqu'un qui applique les "
                "mises à jour de sécurité chaque mois.\n\n"
                "## Migrer\n\n"
                "Fixez une date, importez ce que l'outil permet et fermez les anciens canaux la "
                "même semaine. Deux messageries à la fois, c'est ne plus savoir où regarder.",
            ),
        },
    ),
    GuideSpec(
        "answering-a-request-for-personal-data",
        "data_protection",
        "en",
        ("GDPR", "privacy", "data requests"),
        ("person:3",),
        {
            "en": Text(
                "Answering a request for personal data",
                "Someone asks what you hold about them, or asks you to delete it: the month you "
                "have, and how to use it.",
                "## You have one month\n\n"
                "The clock starts when the request arrives, by any channel: an email to a "
                "member, a message on the contact form. Forward it to whoever your co-op named "
                "for data requests, the same day.\n\n"
                "## Check who is asking\n\n"
                "Answer to the address you already know for them. Ask for more proof only when "
                "you have a real doubt.\n\n"
                "## Look everywhere\n\n"
                "Accounts, mail, chat, shared drives, your clients' systems where you act for "
                "them (then pass the request to the client, who decides).\n\n"
                "## Answer plainly\n\n"
                "Send a copy of the data, what you use it for, how long you keep it, and who "
                "else receives it. For erasure, delete what no law obliges you to keep, and say "
                "what you kept and why.",
            ),
            "es": Text(
                "Responder a un pedido de datos personales",
                "Alguien pregunta qué datos tienen sobre él, o pide que los borren: el mes que "
                "tienen y cómo usarlo.",
                "## Tienen un mes\n\n"
                "El plazo corre desde que llega el pedido, por cualquier vía: un correo a una "
                "persona socia, un mensaje en el formulario de contacto. Reenvíenlo ese mismo día "
                "a quien la cooperativa designó para estos pedidos.\n\n"
                "## Comprueben quién lo pide\n\n"
                "Respondan a la dirección que ya conocen de esa persona. Pidan más pruebas solo "
                "si tienen una duda real.\n\n"
                "## Busquen en todas partes\n\n"
                "Contabilidad, correo, chat, carpetas compartidas, y los sistemas de sus clientes "
                "cuando actúan por ellos (entonces pasen el pedido al cliente, que decide).\n\n"
                "## Respondan con claridad\n\n"
                "Envíen una copia de los datos, para qué los usan, cuánto tiempo los guardan y "
                "quién más los recibe. Si piden borrarlos, borren lo que ninguna ley les obliga "
                "a conservar y digan qué guardaron y por qué.",
            ),
            "fr": Text(
                "Répondre à une demande d'accès aux données personnelles",
                "Quelqu'un demande ce que vous détenez sur lui, ou demande sa suppression : le "
                "mois dont vous disposez, et comment l'utiliser.",
                "## Vous avez un mois\n\n"
                "Le délai court dès l'arrivée de la demande, par n'importe quel canal : un "
                "courriel à un·e associé·e, un message sur le formulaire de contact. Transmettez-"
                "la le jour même à la personne que la coopérative a désignée.\n\n"
                "## Vérifiez qui demande\n\n"
                "Répondez à l'adresse que vous connaissez déjà. Ne demandez d'autres preuves "
                "qu'en cas de doute réel.\n\n"
                "## Cherchez partout\n\n"
                "Comptabilité, courriel, messagerie, dossiers partagés, et les systèmes de vos "
                "clients quand vous agissez pour eux (transmettez alors la demande au client, "
                "qui décide).\n\n"
                "## Répondez simplement\n\n"
                "Envoyez une copie des données, leur usage, leur durée de conservation et leurs "
                "destinataires. Pour un effacement, supprimez ce qu'aucune loi ne vous oblige à "
                "garder, et dites ce que vous avez gardé et pourquoi.",
            ),
        },
    ),
    GuideSpec(
        "giving-feedback-that-helps",
        "self_management",
        "en",
        ("feedback", "self-management", "conflict"),
        ("member@patio.example",),
        {
            "en": Text(
                "Giving feedback that helps",
                "Ask first, be specific, speak about the work: feedback between co-op members "
                "who are nobody's boss.",
                "In a co-op nobody is the boss, so nobody's feedback is an order. That makes it "
                "easier to hear, and easier to avoid giving.\n\n"
                "## Ask before you give\n\n"
                '"Can I give you some feedback on the client call?" A yes makes the person '
                'ready to listen; a "not now" is a fair answer.\n\n'
                "## Describe, then say what it did\n\n"
                '"When the estimate went out without the testing days, the client expected the '
                'launch a week earlier." What happened, and its effect: not what kind of person '
                "they are.\n\n"
                "## Ask what they need\n\n"
                "End with a question, and listen to the answer.\n\n"
                "## Within a week\n\n"
                "Feedback months later helps nobody. If something is too big for a conversation, "
                "the conflict resolution policy has the next steps.",
            ),
            "es": Text(
                "Dar una devolución que ayude",
                "Preguntar antes, ser concreta, hablar del trabajo: devoluciones entre personas "
                "socias que no son jefas de nadie.",
                "En una cooperativa nadie es jefe, así que ninguna devolución es una orden. Eso "
                "la hace más fácil de escuchar, y más fácil de evitar.\n\n"
                "## Preguntá antes de darla\n\n"
                '"¿Te puedo dar una devolución sobre la llamada con el cliente?" Un sí prepara '
                'a la otra persona para escuchar; un "ahora no" es una respuesta válida.\n\n'
                "## Describí y decí qué provocó\n\n"
                '"Cuando el presupuesto salió sin los días de prueba, el cliente esperaba el '
                'lanzamiento una semana antes." Lo que pasó y su efecto, no qué clase de persona '
                "es.\n\n"
                "## Preguntá qué necesita\n\n"
                "Terminá con una pregunta, y escuchá la respuesta.\n\n"
                "## Dentro de la semana\n\n"
                "Una devolución meses después no ayuda a nadie. Si algo es demasiado grande para "
                "una conversación, la política de resolución de conflictos tiene los pasos "
                "siguientes.",
            ),
            "fr": Text(
                "Faire un retour qui aide",
                "Demander d'abord, être précis, parler du travail : des retours entre "
                "associé·es qui ne sont les chefs de personne.",
                "Dans une coopérative, personne n'est chef : aucun retour n'est un ordre. Il "
                "est donc plus facile à entendre, et plus facile à éviter.\n\n"
                "## Demandez avant de donner\n\n"
                "« Je peux te faire un retour sur l'appel avec le client ? » Un oui prépare "
                "l'autre à écouter ; un « pas maintenant » est une réponse légitime.\n\n"
                "## Décrivez, puis dites l'effet\n\n"
                "« Quand le devis est parti sans les jours de test, le client attendait la mise "
                "en ligne une semaine plus tôt. » Ce qui s'est passé et son effet, pas quel genre "
                "de personne c'est.\n\n"
                "## Demandez ce dont la personne a besoin\n\n"
                "Terminez par une question, et écoutez la réponse.\n\n"
                "## Dans la semaine\n\n"
                "Un retour des mois plus tard n'aide personne. Si c'est trop gros pour une "
                "conversation, la politique de résolution des conflits donne les étapes "
                "suivantes.",
            ),
        },
    ),
    GuideSpec(
        "subcontracting-another-coop",
        "inter_coop_projects",
        "en",
        ("inter-co-op", "contracts", "subcontracting"),
        ("person:7",),
        {
            "en": Text(
                "Subcontracting another co-op: a one-page agreement",
                "The eight lines two co-ops write down before one works for the other's client.",
                "Most trouble between co-ops comes from what was obvious to one and never said "
                "to the other. Write these down, on one page, and both sign it.\n\n"
                "1. **The work**: what is delivered, and what is not.\n"
                "2. **Who speaks to the client**: usually only the co-op that holds the "
                "contract.\n"
                "3. **The price and the currency**, per role or for the whole.\n"
                "4. **When you pay**: on the client's payment, or on a fixed date, whatever "
                "happens.\n"
                "5. **Who owns the code and designs**, and under which licence.\n"
                "6. **Personal data**: a processing agreement if the work touches any.\n"
                "7. **Leaving early**: notice, and how finished work is paid.\n"
                "8. **A disagreement**: first a call between the two coordinators, then a "
                "mediator from a third co-op of the network.",
            ),
            "es": Text(
                "Subcontratar a otra cooperativa: un acuerdo de una página",
                "Las ocho líneas que dos cooperativas escriben antes de que una trabaje para el "
                "cliente de la otra.",
                "Casi todos los problemas entre cooperativas vienen de lo que para una era obvio "
                "y nunca se le dijo a la otra. Escríbanlo en una página, y firmen las dos.\n\n"
                "1. **El trabajo**: qué se entrega, y qué no.\n"
                "2. **Quién habla con el cliente**: en general solo la cooperativa que tiene el "
                "contrato.\n"
                "3. **El precio y la moneda**, por rol o por el total.\n"
                "4. **Cuándo se paga**: cuando paga el cliente, o en una fecha fija, pase lo que "
                "pase.\n"
                "5. **De quién son el código y los diseños**, y con qué licencia.\n"
                "6. **Datos personales**: un acuerdo de encargo si el trabajo los toca.\n"
                "7. **Salir antes**: el preaviso, y cómo se paga lo ya hecho.\n"
                "8. **Un desacuerdo**: primero una llamada entre las dos coordinadoras, después "
                "una mediadora de una tercera cooperativa de la red.",
            ),
            "fr": Text(
                "Sous-traiter à une autre coopérative : un accord d'une page",
                "Les huit lignes que deux coopératives écrivent avant que l'une travaille pour "
                "le client de l'autre.",
                "La plupart des difficultés entre coopératives viennent de ce qui allait de soi "
                "pour l'une et n'a jamais été dit à l'autre. Écrivez-le sur une page, et signez "
                "toutes les deux.\n\n"
                "1. **Le travail** : ce qui est livré, et ce qui ne l'est pas.\n"
                "2. **Qui parle au client** : en général seule la coopérative qui porte le "
                "contrat.\n"
                "3. **Le prix et la devise**, par rôle ou au forfait.\n"
                "4. **Quand on paie** : au paiement du client, ou à date fixe quoi qu'il arrive."
                "\n"
                "5. **À qui appartiennent le code et les maquettes**, et sous quelle licence.\n"
                "6. **Les données personnelles** : un accord de sous-traitance si le travail en "
                "touche.\n"
                "7. **Partir plus tôt** : le préavis, et comment le travail fait est payé.\n"
                "8. **Un désaccord** : d'abord un appel entre les deux coordinatrices, puis une "
                "médiatrice d'une troisième coopérative du réseau.",
            ),
        },
    ),
    GuideSpec(
        "setting-your-day-rate",
        "pricing_work",
        "en",
        ("pricing", "rates", "wages"),
        ("admin@patio.example", "person:11"),
        {
            "en": Text(
                "Setting your co-op's day rate",
                "Work back from the wage you want to pay yourselves, not forward from what "
                "agencies charge.",
                "## Start from the wage\n\n"
                "Agree in assembly the yearly pay a full-time member should take home, and add "
                "social charges: that is the cost of one member.\n\n"
                "## Count the days you can bill\n\n"
                "A year has about 220 working days. Take away holidays, training, the co-op's "
                "own work (assemblies, circles, sales): most co-ops bill **120 to 150 days** a "
                "member.\n\n"
                "## Add the common costs and a margin\n\n"
                "Rent, tools, accounting, insurance, and a margin for quiet months and for the "
                "reserves the law asks of a co-op.\n\n"
                "## Divide\n\n"
                "Add up the cost of every member, the common costs and the margin, and divide by "
                "the billable days: that is your day rate. Check it against the network's rates for the same work, and explain it "
                "to clients: a fair wage is a reason, not an apology.",
            ),
            "es": Text(
                "Fijar la tarifa diaria de tu cooperativa",
                "Partí del sueldo que quieren cobrar, no de lo que cobran las agencias.",
                "## Empezá por el sueldo\n\n"
                "Acuerden en asamblea el ingreso anual que debe llevarse una persona socia a "
                "tiempo completo y sumen las cargas sociales: ese es el costo de una persona "
                "socia.\n\n"
                "## Contá los días facturables\n\n"
                "Un año tiene unos 220 días hábiles. Resten vacaciones, formación y el trabajo "
                "propio de la cooperativa (asambleas, círculos, ventas): la mayoría factura "
                "**entre 120 y 150 días** por persona.\n\n"
                "## Sumá los costos comunes y un margen\n\n"
                "Alquiler, herramientas, contabilidad, seguros, y un margen para los meses "
                "flojos y para las reservas que la ley pide a una cooperativa.\n\n"
                "## Dividí\n\n"
                "Sumen el costo de todas las personas socias, los costos comunes y el margen, y "
                "divídanlo por los días facturables: esa es su tarifa diaria. Compárenla con las tarifas de la red para el mismo trabajo y "
                "explíquenla a los clientes: un sueldo justo es un motivo, no una disculpa.",
            ),
            "fr": Text(
                "Fixer le tarif journalier de votre coopérative",
                "Partez du salaire que vous voulez vous verser, pas de ce que facturent les "
                "agences.",
                "## Partez du salaire\n\n"
                "Fixez en assemblée la rémunération annuelle d'un·e associé·e à temps plein et "
                "ajoutez les charges sociales : c'est le coût d'un·e associé·e.\n\n"
                "## Comptez les jours facturables\n\n"
                "Une année compte environ 220 jours ouvrés. Retirez congés, formation et le "
                "travail propre à la coopérative (assemblées, cercles, commercial) : la plupart "
                "facturent **120 à 150 jours** par associé·e.\n\n"
                "## Ajoutez les frais communs et une marge\n\n"
                "Loyer, outils, comptabilité, assurances, et une marge pour les mois calmes et "
                "pour les réserves que la loi impose à une coopérative.\n\n"
                "## Divisez\n\n"
                "Additionnez le coût de tous les associé·es, les frais communs et la marge, et "
                "divisez par les jours facturables : voilà votre tarif journalier. Comparez-le aux tarifs du réseau pour le même travail, "
                "et expliquez-le aux clients : un salaire juste est une raison, pas une excuse.",
            ),
        },
    ),
)

# A guide the admin has sent to Education: what the demo coordinator finds to review.
IN_REVIEW = GuideSpec(
    "backups-you-have-restored",
    "data_protection",
    "en",
    ("backups", "hosting"),
    ("admin@patio.example",),
    {
        "en": Text(
            "A backup nobody has restored is a hope",
            "How often to test your co-op's backups, and what to write down when you do.",
            "## Restore once a quarter\n\n"
            "Pick a date, restore last night's backup on a spare machine, and open the "
            "accounts and the shared drive from it. Write down how long it took.\n\n"
            "## Keep one copy elsewhere\n\n"
            "Three copies, on two kinds of storage, one outside the office or the host.",
        ),
    },
)

# slug: (title, description, suggested to newcomers, guide slugs in order)
PATHS = {
    "start-here": (
        "Start here: how the network works",
        "Five short guides for your first weeks: how we decide, give feedback, price work "
        "and run projects together.",
        True,
        (
            "consent-decisions-step-by-step",
            "giving-feedback-that-helps",
            "running-a-project-across-timezones",
            "precio-del-trabajo-entre-cooperativas",
            "subcontracting-another-coop",
        ),
    ),
    "your-coops-tools-and-data": (
        "Your co-op's tools and data",
        "Choosing software your co-op owns, and looking after the personal data in it.",
        False,
        (
            "choosing-an-accounting-tool",
            "choosing-a-chat-tool",
            "gdpr-basics-for-a-coop",
            "answering-a-request-for-personal-data",
        ),
    ),
}
# The demo member has read the first guide of the suggested path.
MEMBER_DONE = ("consent-decisions-step-by-step",)
