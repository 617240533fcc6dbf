"""Three bilingual training modules (the plan's *Former* measure), editable afterwards.

Existing modules (same slug) are left as coordinators edited them.
"""

from django.db import migrations

MODULES = [
    {
        "slug": "approvisionnement-responsable",
        "title_fr": "L'approvisionnement responsable",
        "title_en": "Responsible procurement",
        "summary_fr": "Ce qu'est un achat responsable, comment remettre en question le besoin "
        "et intégrer des critères sociaux à chaque étape de l'achat.",
        "summary_en": "What responsible buying is, how to question the need and bring social "
        "criteria into every step of a purchase.",
        "lessons": [
            (
                "Qu'est-ce que l'approvisionnement responsable?",
                "What is responsible procurement?",
                "L'approvisionnement responsable tient compte des dimensions environnementale, "
                "sociale et économique d'un achat, et non du seul prix d'acquisition.\n\n"
                "La norme ISO 20400 (Achats responsables — lignes directrices) et les travaux de "
                "l'ECPAR au Québec proposent des mesures pour chaque étape du processus d'achat : "
                "planifier, définir le besoin, solliciter le marché, évaluer et adjuger, puis "
                "gérer le contrat et en faire le suivi.",
                "Responsible procurement weighs the environmental, social and economic "
                "dimensions of a purchase, not only its purchase price.\n\n"
                "The ISO 20400 standard (Sustainable procurement — guidance) and the work of "
                "ECPAR in Québec suggest measures for every step of the buying process: plan, "
                "define the need, approach the market, evaluate and award, then manage and "
                "follow up the contract.",
            ),
            (
                "Remettre en question le besoin",
                "Question the need",
                "Avant d'acheter, demandez-vous si le besoin est réel et s'il peut être comblé "
                "autrement : réparer, louer, partager, réutiliser.\n\n"
                "Raisonnez en coût total de possession : prix d'acquisition, utilisation, "
                "entretien et fin de vie. Un produit plus cher à l'achat peut coûter moins cher "
                "sur son cycle de vie.",
                "Before buying, ask whether the need is real and whether it can be met another "
                "way: repair, rent, share, reuse.\n\n"
                "Think in total cost of ownership: purchase price, use, maintenance and end of "
                "life. A product that costs more to buy may cost less over its life cycle.",
            ),
            (
                "Intégrer des critères sociaux",
                "Bring in social criteria",
                "Les considérations sociales peuvent figurer dans la définition du besoin, dans "
                "les exigences, dans les critères d'évaluation ou dans les clauses du contrat : "
                "insertion socioprofessionnelle, accessibilité, achat de proximité.\n\n"
                "Rédigez des critères clairs, mesurables et liés à l'objet du contrat, et "
                "vérifiez qu'ils respectent les règles d'adjudication de votre organisation.",
                "Social considerations can appear in the definition of the need, in the "
                "requirements, in the evaluation criteria or in the contract's clauses: "
                "social and professional integration, accessibility, local buying.\n\n"
                "Write clear, measurable criteria tied to the subject of the contract, and check "
                "that they respect your organization's award rules.",
            ),
            (
                "Mesurer et rendre compte",
                "Measure and report",
                "Ce qui n'est pas mesuré s'améliore rarement. Le portail calcule les indicateurs "
                "du plan : valeur des contrats octroyés à des EÉS, EÉS inscrites au fichier "
                "fournisseurs, invitées, soumissionnaires et gagnantes.\n\n"
                "Consignez vos invitations, soumissions et octrois au fil de l'année : la "
                "reddition de comptes se fait alors sans ressaisie.",
                "What is not measured seldom improves. The portal computes the plan's "
                "indicators: value of contracts awarded to social-economy enterprises, and "
                "those registered in the supplier file, invited, bidding and winning.\n\n"
                "Record your invitations, bids and awards during the year: accountability "
                "reporting then needs no retyping.",
            ),
        ],
        "questions": [
            (
                "Que considère l'approvisionnement responsable?",
                "What does responsible procurement consider?",
                "Il tient compte des dimensions environnementale, sociale et économique sur tout "
                "le cycle de vie.",
                "It weighs the environmental, social and economic dimensions over the whole life "
                "cycle.",
                [
                    ("Seulement le prix le plus bas", "Only the lowest price", False),
                    (
                        "Les dimensions environnementale, sociale et économique de l'achat",
                        "The environmental, social and economic dimensions of the purchase",
                        True,
                    ),
                    ("Seulement la provenance du produit", "Only where the product comes from", False),
                ],
            ),
            (
                "Quelle est la première question à se poser avant un achat?",
                "What is the first question to ask before a purchase?",
                "Remettre en question le besoin évite des achats inutiles : réparer, louer ou "
                "partager suffit parfois.",
                "Questioning the need avoids useless purchases: repairing, renting or sharing is "
                "sometimes enough.",
                [
                    (
                        "Le besoin est-il réel, et peut-il être comblé autrement?",
                        "Is the need real, and can it be met another way?",
                        True,
                    ),
                    ("Quel fournisseur livre le plus vite?", "Which supplier delivers fastest?", False),
                    (
                        "Combien de soumissions recevra-t-on?",
                        "How many bids will we receive?",
                        False,
                    ),
                ],
            ),
            (
                "Que comprend le coût total de possession?",
                "What does the total cost of ownership include?",
                "Le coût total additionne l'acquisition, l'utilisation, l'entretien et la fin de "
                "vie.",
                "The total cost adds purchase, use, maintenance and end of life.",
                [
                    ("Le prix d'achat seulement", "The purchase price only", False),
                    (
                        "L'acquisition, l'utilisation, l'entretien et la fin de vie",
                        "Purchase, use, maintenance and end of life",
                        True,
                    ),
                    ("Les frais de livraison seulement", "The delivery costs only", False),
                ],
            ),
        ],
    },
    {
        "slug": "acheter-aupres-des-ees",
        "title_fr": "Pourquoi et comment acheter auprès des EÉS",
        "title_en": "Why and how to buy from social-economy enterprises",
        "summary_fr": "Ce qu'est une entreprise d'économie sociale, ses retombées, et les gestes "
        "concrets pour l'inclure dans vos achats.",
        "summary_en": "What a social-economy enterprise is, its benefits, and the concrete steps "
        "to include it in your purchases.",
        "lessons": [
            (
                "Qu'est-ce qu'une EÉS?",
                "What is a social-economy enterprise?",
                "Une entreprise d'économie sociale (EÉS) est une coopérative, un organisme à but "
                "non lucratif ou une mutuelle qui vend des biens ou des services. Elle répond aux "
                "besoins de ses membres ou de sa collectivité, sa gouvernance est démocratique et "
                "elle réinvestit ses surplus dans sa mission.\n\n"
                "Au Québec, la Loi sur l'économie sociale (2013) en définit les principes. Dans "
                "le portail, une personne de la coordination vérifie le statut de chaque "
                "entreprise avant qu'elle soit comptée comme EÉS.",
                "A social-economy enterprise is a co-operative, a non-profit or a mutual that "
                "sells goods or services. It meets the needs of its members or its community, "
                "is governed democratically and reinvests its surpluses in its mission.\n\n"
                "In Québec, the Social Economy Act (2013) sets out its principles. In the "
                "portal, a coordinator verifies each enterprise's status before it counts as a "
                "social-economy enterprise.",
            ),
            (
                "Les retombées d'un achat auprès d'une EÉS",
                "The benefits of buying from a social-economy enterprise",
                "Un même achat répond à votre besoin et crée de la valeur sociale : création "
                "d'emplois, insertion socioprofessionnelle, lutte contre la pauvreté, "
                "persévérance scolaire, égalité entre les femmes et les hommes, intégration des "
                "personnes immigrantes et services de proximité.\n\n"
                "Les EÉS réinvestissent dans leur collectivité : l'argent public dépensé reste "
                "au service de la région.",
                "The same purchase meets your need and creates social value: job creation, "
                "social and professional integration, fighting poverty, school perseverance, "
                "gender equality, integration of immigrants and local services.\n\n"
                "Social-economy enterprises reinvest in their community: the public money spent "
                "keeps serving the region.",
            ),
            (
                "Trouver des EÉS et les préparer",
                "Find social-economy enterprises and help them prepare",
                "Cherchez dans le répertoire du portail par secteur, région ou produit. Invitez "
                "les EÉS à s'inscrire à votre fichier fournisseurs et publiez vos besoins "
                "annuels : elles auront le temps de se préparer.\n\n"
                "Les activités de maillage permettent de rencontrer des EÉS avant un appel "
                "d'offres et de mieux comprendre leur offre.",
                "Search the portal's directory by sector, region or product. Invite "
                "social-economy enterprises to register in your supplier file and publish your "
                "annual needs: they will have time to prepare.\n\n"
                "Matchmaking activities let you meet enterprises before a tender and understand "
                "their offer better.",
            ),
            (
                "Acheter dans le respect des règles",
                "Buy within the rules",
                "Sous les seuils applicables, favorisez les EÉS dans vos contrats de gré à gré "
                "et invitez-en au moins une à vos appels d'offres sur invitation.\n\n"
                "Vous pouvez répartir un grand besoin en lots à la portée d'entreprises plus "
                "petites lorsque c'est justifié par une saine administration. En revanche, "
                "diviser un contrat dans le but d'éviter les règles d'adjudication est interdit.",
                "Below the applicable thresholds, favour social-economy enterprises in your "
                "direct awards and invite at least one to your invitation tenders.\n\n"
                "You may split a large need into lots within reach of smaller enterprises when "
                "sound administration justifies it. Dividing a contract in order to avoid the "
                "award rules, however, is forbidden.",
            ),
        ],
        "questions": [
            (
                "Laquelle de ces organisations peut être une EÉS?",
                "Which of these organizations can be a social-economy enterprise?",
                "Une coopérative qui vend des biens ou des services est une EÉS; une société par "
                "actions privée ou un ministère ne le sont pas.",
                "A co-operative that sells goods or services is one; a private business "
                "corporation or a ministry is not.",
                [
                    (
                        "Une coopérative de travail qui offre un service de traiteur",
                        "A workers' co-operative offering catering",
                        True,
                    ),
                    ("Une société par actions privée", "A private business corporation", False),
                    ("Un ministère", "A government ministry", False),
                ],
            ),
            (
                "Comment aider les EÉS à se préparer à vos achats?",
                "How can you help social-economy enterprises prepare for your purchases?",
                "Publier ses besoins annuels et ouvrir son fichier fournisseurs donne aux EÉS le "
                "temps de se préparer.",
                "Publishing annual needs and opening the supplier file gives enterprises time to "
                "prepare.",
                [
                    (
                        "Garder ses besoins confidentiels jusqu'à l'appel d'offres",
                        "Keep your needs confidential until the tender",
                        False,
                    ),
                    (
                        "Publier ses besoins annuels et les inviter à s'inscrire au fichier "
                        "fournisseurs",
                        "Publish your annual needs and invite them to register in the supplier "
                        "file",
                        True,
                    ),
                    (
                        "N'acheter que par appel d'offres public",
                        "Buy only through public tenders",
                        False,
                    ),
                ],
            ),
            (
                "Peut-on diviser un contrat pour rester sous un seuil et l'octroyer de gré à gré "
                "à une EÉS?",
                "May you divide a contract to stay below a threshold and award it directly to a "
                "social-economy enterprise?",
                "Diviser un contrat pour éviter les règles est interdit; une répartition en lots "
                "justifiée par une saine administration reste possible.",
                "Dividing a contract to avoid the rules is forbidden; lots justified by sound "
                "administration remain possible.",
                [
                    ("Oui, toujours", "Yes, always", False),
                    (
                        "Oui, si l'EÉS est vérifiée",
                        "Yes, if the enterprise is verified",
                        False,
                    ),
                    (
                        "Non : diviser un contrat pour éviter les règles d'adjudication est "
                        "interdit",
                        "No: dividing a contract to avoid the award rules is forbidden",
                        True,
                    ),
                ],
            ),
        ],
    },
    {
        "slug": "seuils-et-appels-sur-invitation",
        "title_fr": "Les seuils québécois et l'appel d'offres sur invitation",
        "title_en": "Québec thresholds and invitation tenders",
        "summary_fr": "Les modes d'adjudication municipaux selon le montant, l'évolution du seuil "
        "d'appel d'offres public et la place des EÉS dans les appels sur invitation.",
        "summary_en": "Municipal award methods by amount, how the public-tender threshold "
        "changes, and the place of social-economy enterprises in invitation tenders.",
        "lessons": [
            (
                "Trois modes d'adjudication",
                "Three award methods",
                "Le contrat de gré à gré est conclu directement avec un fournisseur. L'appel "
                "d'offres sur invitation s'adresse par écrit à au moins deux fournisseurs. "
                "L'appel d'offres public est publié dans le système électronique d'appel "
                "d'offres (SEAO).\n\n"
                "Les montants s'entendent avant taxes.",
                "A direct award is made to one supplier. An invitation tender is sent in "
                "writing to at least two suppliers. A public tender is published on SEAO, "
                "Québec's electronic tendering system.\n\n"
                "Amounts are before taxes.",
            ),
            (
                "Les seuils municipaux",
                "Municipal thresholds",
                "Sous 25 000 $, le gré à gré est permis. De 25 000 $ jusqu'au seuil d'appel "
                "d'offres public, l'invitation écrite d'au moins deux fournisseurs s'applique, "
                "ou le gré à gré lorsque le règlement de gestion contractuelle de l'organisation "
                "le permet. À partir du seuil, l'appel d'offres public est obligatoire.\n\n"
                "Le seuil d'appel d'offres public est fixé par arrêté ministériel et change : "
                "101 100 $ en 2019, 105 700 $ dès janvier 2022, 121 200 $ dès le 7 octobre 2022, "
                "puis un nouvel ajustement pour 2024-2025. Vérifiez toujours le seuil en vigueur "
                "à la date de votre processus.",
                "Below $25,000, a direct award is allowed. From $25,000 up to the public-tender "
                "threshold, a written invitation to at least two suppliers applies, or a direct "
                "award where the organization's contract-management by-law allows it. At or "
                "above the threshold, a public tender is required.\n\n"
                "The public-tender threshold is set by ministerial order and changes: $101,100 "
                "in 2019, $105,700 from January 2022, $121,200 from October 7, 2022, then a new "
                "adjustment for 2024-2025. Always check the threshold in force on the date of "
                "your process.",
            ),
            (
                "Inviter des EÉS",
                "Invite social-economy enterprises",
                "L'appel d'offres sur invitation est l'occasion d'inviter au moins une EÉS : "
                "trouvez-la dans le répertoire par catégorie et par région, faites alterner les "
                "entreprises invitées et donnez un délai raisonnable pour répondre.\n\n"
                "Des exigences claires et proportionnées au besoin permettent aux petites "
                "entreprises de soumissionner.",
                "An invitation tender is the occasion to invite at least one social-economy "
                "enterprise: find it in the directory by category and region, rotate the "
                "enterprises you invite and give a reasonable time to answer.\n\n"
                "Clear requirements, proportionate to the need, let small enterprises bid.",
            ),
            (
                "Transparence",
                "Transparency",
                "Les contrats de 25 000 $ et plus sont publiés au SEAO. Les achats cumulés "
                "auprès d'un même fournisseur qui dépassent 25 000 $ dans l'année doivent aussi "
                "être rendus visibles.\n\n"
                "Si le mode choisi ne correspond pas au montant, consignez la justification : "
                "le portail vous la demandera.",
                "Contracts of $25,000 or more are published on SEAO. Cumulative purchases from "
                "one supplier above $25,000 in a year must also be made visible.\n\n"
                "When the chosen method does not match the amount, record the justification: "
                "the portal will ask for it.",
            ),
        ],
        "questions": [
            (
                "Une municipalité estime un contrat à 15 000 $ avant taxes. Quel mode est permis?",
                "A municipality estimates a contract at $15,000 before taxes. Which method is "
                "allowed?",
                "Sous 25 000 $, le contrat peut être octroyé de gré à gré.",
                "Below $25,000, the contract may be awarded directly.",
                [
                    ("Le gré à gré", "A direct award", True),
                    ("L'appel d'offres public obligatoire", "A mandatory public tender", False),
                    (
                        "L'invitation d'au moins cinq fournisseurs",
                        "An invitation to at least five suppliers",
                        False,
                    ),
                ],
            ),
            (
                "Un appel d'offres sur invitation s'adresse par écrit à au moins combien de "
                "fournisseurs?",
                "A written invitation tender goes to at least how many suppliers?",
                "L'invitation écrite vise au moins deux fournisseurs.",
                "A written invitation goes to at least two suppliers.",
                [
                    ("Un", "One", False),
                    ("Deux", "Two", True),
                    ("Dix", "Ten", False),
                ],
            ),
            (
                "Le seuil d'appel d'offres public…",
                "The public-tender threshold…",
                "Il est fixé par arrêté ministériel et a changé plusieurs fois depuis 2019.",
                "It is set by ministerial order and has changed several times since 2019.",
                [
                    ("…est le même depuis 2019", "…has been the same since 2019", False),
                    (
                        "…est fixé par arrêté ministériel et change dans le temps",
                        "…is set by ministerial order and changes over time",
                        True,
                    ),
                    ("…est fixé par chaque fournisseur", "…is set by each supplier", False),
                ],
            ),
        ],
    },
]


def seed(apps, schema_editor):
    TrainingModule = apps.get_model("initiatives", "TrainingModule")
    Lesson = apps.get_model("initiatives", "Lesson")
    Question = apps.get_model("initiatives", "Question")
    Choice = apps.get_model("initiatives", "Choice")
    for position, data in enumerate(MODULES):
        module, created = TrainingModule.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title_fr": data["title_fr"],
                "title_en": data["title_en"],
                "summary_fr": data["summary_fr"],
                "summary_en": data["summary_en"],
                "position": position,
                "is_published": True,
            },
        )
        if not created:
            continue
        for n, (title_fr, title_en, body_fr, body_en) in enumerate(data["lessons"]):
            Lesson.objects.create(
                module=module,
                title_fr=title_fr,
                title_en=title_en,
                body_fr=body_fr,
                body_en=body_en,
                position=n,
            )
        for n, (text_fr, text_en, expl_fr, expl_en, choices) in enumerate(data["questions"]):
            question = Question.objects.create(
                module=module,
                text_fr=text_fr,
                text_en=text_en,
                explanation_fr=expl_fr,
                explanation_en=expl_en,
                position=n,
            )
            for m, (choice_fr, choice_en, is_correct) in enumerate(choices):
                Choice.objects.create(
                    question=question,
                    text_fr=choice_fr,
                    text_en=choice_en,
                    is_correct=is_correct,
                    position=m,
                )


def unseed(apps, schema_editor):
    TrainingModule = apps.get_model("initiatives", "TrainingModule")
    TrainingModule.objects.filter(slug__in=[m["slug"] for m in MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
