from django.db import migrations

# The toolkit's first entries, written by the team: example clauses, wording and measures for
# each of the 5 steps of the procurement process. Coordinators edit them afterwards; these are
# starting points, not legal advice (each organization checks them against its own by-law).
# (step, kind, slug, position, title_fr, title_en, body_fr, body_en)
ENTRIES = [
    (
        "plan", "measure", "publier-besoins-annuels", 1,
        "Publier ses besoins annuels",
        "Publish your annual needs",
        "Au début de l'exercice, publiez la liste des achats prévus (objet, valeur estimée, "
        "trimestre visé, mode d'acquisition envisagé). Les entreprises d'économie sociale (EÉS) "
        "peuvent ainsi se préparer, se regrouper au besoin et s'inscrire au fichier fournisseurs "
        "avant le lancement des processus.",
        "At the start of the fiscal year, publish the list of planned purchases (subject, "
        "estimated value, planned quarter, intended procurement method). Social-economy "
        "enterprises (EÉS) can then prepare, team up if needed and register in the supplier file "
        "before processes start.",
    ),
    (
        "plan", "question", "questions-avant-achat", 2,
        "Questions à se poser avant d'acheter",
        "Questions to ask before buying",
        "Le besoin peut-il être comblé autrement (réemploi, location, mutualisation)? "
        "Le marché peut-il être divisé en lots accessibles à de plus petites entreprises? "
        "Des EÉS offrent-elles ce bien ou ce service dans la région? Le calendrier laisse-t-il "
        "le temps de les rejoindre?",
        "Can the need be met another way (reuse, rental, pooling)? Can the contract be split into "
        "lots that smaller enterprises can bid on? Do EÉS offer this good or service in the "
        "region? Does the schedule leave time to reach them?",
    ),
    (
        "plan", "tool", "cycle-de-vie-produit", 3,
        "Tenir compte du cycle de vie du produit",
        "Consider the product's life cycle",
        "Estimez le coût total de possession (achat, entretien, fin de vie) plutôt que le seul "
        "prix d'achat. Les EÉS de réemploi, de reconditionnement et de récupération sont souvent "
        "avantageuses lorsque la fin de vie est prise en compte.",
        "Estimate the total cost of ownership (purchase, maintenance, end of life) rather than the "
        "purchase price alone. Reuse, refurbishing and recovery EÉS often come out ahead when the "
        "end of life is counted.",
    ),
    (
        "find", "measure", "consulter-repertoire-ees", 1,
        "Consulter le répertoire des EÉS",
        "Search the EÉS directory",
        "Avant chaque processus, cherchez dans le répertoire les EÉS par catégorie de produits "
        "et services, par région et par municipalité. Ajoutez les entreprises pertinentes à une "
        "liste restreinte et invitez-les à s'inscrire au fichier fournisseurs.",
        "Before each process, search the directory for EÉS by product and service category, "
        "region and municipality. Add relevant enterprises to a shortlist and invite them to "
        "register in the supplier file.",
    ),
    (
        "find", "wording", "invitation-inscription-fichier", 2,
        "Libellé : invitation à s'inscrire au fichier fournisseurs",
        "Wording: invitation to register in the supplier file",
        "« Notre organisation s'est engagée à accroître ses achats auprès des entreprises "
        "d'économie sociale. Nous vous invitons à vous inscrire à notre fichier fournisseurs afin "
        "d'être informés des occasions d'affaires correspondant à vos produits et services. »",
        "“Our organization has committed to buying more from social-economy enterprises. We "
        "invite you to register in our supplier file so that you hear about business "
        "opportunities that match your products and services.”",
    ),
    (
        "find", "measure", "activites-maillage", 3,
        "Participer aux activités de maillage",
        "Take part in matchmaking activities",
        "Inscrivez les acheteurs et les gestionnaires aux activités de maillage organisées par "
        "les pôles régionaux d'économie sociale. Consignez chaque contact d'affaires dans le "
        "portail : le suivi des contrats conclus à la suite du maillage en dépend.",
        "Register buyers and managers for matchmaking activities run by the regional "
        "social-economy hubs. Record every business contact in the portal: tracking contracts "
        "signed after matchmaking depends on it.",
    ),
    (
        "solicit", "clause", "clause-lots-reserves", 1,
        "Clause : lots adaptés aux EÉS",
        "Clause: lots suited to EÉS",
        "« Le présent appel d'offres est divisé en lots distincts. Un soumissionnaire peut "
        "présenter une soumission pour un ou plusieurs lots. Le lot 2 vise des quantités et une "
        "durée adaptées aux entreprises de petite taille, notamment les entreprises d'économie "
        "sociale. » Vérifiez que votre règlement de gestion contractuelle permet ce découpage.",
        "“This call for tenders is divided into separate lots. A bidder may bid on one or more "
        "lots. Lot 2 has quantities and a duration suited to small enterprises, including "
        "social-economy enterprises.” Check that your contract-management by-law allows this "
        "split.",
    ),
    (
        "solicit", "wording", "libelle-invitation-ees", 2,
        "Libellé : inviter des EÉS à un appel d'offres sur invitation",
        "Wording: inviting EÉS to an invitation tender",
        "« Dans le cadre de son engagement envers l'économie sociale, l'organisation invite au "
        "moins deux fournisseurs, dont une ou plusieurs entreprises d'économie sociale, à "
        "présenter une soumission. La date limite de dépôt des soumissions est le [date]. »",
        "“As part of its commitment to the social economy, the organization invites at least two "
        "suppliers, including one or more social-economy enterprises, to submit a bid. The "
        "deadline for bids is [date].”",
    ),
    (
        "solicit", "measure", "favoriser-ees-gre-a-gre", 3,
        "Favoriser les EÉS dans les contrats de gré à gré",
        "Favour EÉS in direct awards",
        "Sous le seuil d'appel d'offres sur invitation, consultez d'abord le fichier "
        "fournisseurs et le répertoire pour solliciter une EÉS. Le règlement de gestion "
        "contractuelle peut prévoir une mesure favorisant la rotation et l'achat auprès "
        "d'entreprises d'économie sociale.",
        "Below the invitation-tender threshold, first check the supplier file and the directory "
        "to ask an EÉS. The contract-management by-law can include a measure that favours "
        "rotation and buying from social-economy enterprises.",
    ),
    (
        "evaluate", "clause", "critere-valeur-sociale", 1,
        "Critère d'évaluation : retombées sociales",
        "Evaluation criterion: social value",
        "« Retombées sociales du soumissionnaire (10 points) : création d'emplois pour des "
        "personnes éloignées du marché du travail, intégration de personnes immigrantes, "
        "réinvestissement dans la collectivité. Le soumissionnaire décrit ses pratiques et "
        "fournit les pièces justificatives. »",
        "“Social value of the bidder (10 points): jobs for people far from the labour market, "
        "integration of immigrants, reinvestment in the community. The bidder describes its "
        "practices and provides supporting documents.”",
    ),
    (
        "evaluate", "question", "verifier-conformite-sans-exclure", 2,
        "Vérifier la conformité sans exclure inutilement",
        "Check compliance without needless exclusion",
        "Les exigences de garanties, d'assurances ou d'années d'expérience sont-elles "
        "proportionnées à la valeur du contrat? Des exigences excessives écartent les petites "
        "EÉS sans améliorer la qualité du service.",
        "Are the guarantee, insurance or years-of-experience requirements proportionate to the "
        "value of the contract? Excessive requirements shut out small EÉS without improving the "
        "service.",
    ),
    (
        "evaluate", "measure", "consigner-adjudication", 3,
        "Consigner l'adjudication le jour même",
        "Record the award the same day",
        "Saisissez chaque contrat octroyé dans le portail (fournisseur, montant avant taxes, "
        "date) dès sa signature. Les indicateurs de reddition de comptes sont calculés à partir "
        "de ces données.",
        "Enter every contract awarded in the portal (supplier, amount before taxes, date) as soon "
        "as it is signed. The accountability indicators are computed from these records.",
    ),
    (
        "manage", "measure", "mesure-reglement-gestion-contractuelle", 1,
        "Mesure au règlement de gestion contractuelle",
        "Measure in the contract-management by-law",
        "Ajoutez au règlement de gestion contractuelle une mesure visant à favoriser l'achat "
        "auprès des entreprises d'économie sociale pour les contrats sous le seuil d'appel "
        "d'offres public, et faites-en rapport annuellement.",
        "Add to the contract-management by-law a measure that favours buying from social-economy "
        "enterprises for contracts below the public-tender threshold, and report on it every "
        "year.",
    ),
    (
        "manage", "tool", "suivi-cumul-fournisseur", 2,
        "Suivre les achats cumulatifs par fournisseur",
        "Track cumulative purchases per supplier",
        "Consultez chaque trimestre la page des cumuls par fournisseur : les fournisseurs dont "
        "les contrats totalisent plus de 25 000 $ dans l'année doivent figurer à la liste "
        "publiée par l'organisation.",
        "Check the cumulative-purchases page every quarter: suppliers whose contracts add up to "
        "more than $25,000 in the year must appear on the list the organization publishes.",
    ),
    (
        "manage", "wording", "rapport-annuel-ees", 3,
        "Libellé : reddition de comptes annuelle",
        "Wording: annual accountability report",
        "« En [année], l'organisation a octroyé [n] contrats à des entreprises d'économie "
        "sociale, pour une valeur de [montant] $, soit [part] % de ses achats. [n] de ces "
        "contrats sont issus d'une nouvelle relation d'affaires. »",
        "“In [year], the organization awarded [n] contracts to social-economy enterprises, worth "
        "$[amount], or [share]% of its purchases. [n] of these contracts came from a new business "
        "relationship.”",
    ),
]


def seed(apps, schema_editor):
    ToolkitEntry = apps.get_model("procurement", "ToolkitEntry")
    for step, kind, slug, position, title_fr, title_en, body_fr, body_en in ENTRIES:
        ToolkitEntry.objects.get_or_create(
            slug=slug,
            defaults={
                "step": step,
                "kind": kind,
                "position": position,
                "title_fr": title_fr,
                "title_en": title_en,
                "body_fr": body_fr,
                "body_en": body_en,
                "is_published": True,
            },
        )


def unseed(apps, schema_editor):
    ToolkitEntry = apps.get_model("procurement", "ToolkitEntry")
    ToolkitEntry.objects.filter(slug__in=[entry[2] for entry in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_seed_thresholds")]

    operations = [migrations.RunPython(seed, unseed)]
