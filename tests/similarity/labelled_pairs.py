"""A small labelled set of coalition descriptions (principles and asks), written for this test.

``MATCHING``: two expressions of interest for the same initiative in other words; a secretariat
would merge them.  Some are in French or Spanish (the engine's model is multilingual).
``NOT_MATCHING``: different initiatives: a different topic, or the same topic word with a
different (sometimes opposite) aim.  Every text occurs once, so the texts of all pairs together
form a pool for the retrieval variant (is a text's nearest neighbour its partner?).
"""

MATCHING: list[tuple[str, str]] = [
    (
        "Coalition to end plastic pollution in small island developing states: ban single-use "
        "plastics and fund waste management on islands.",
        "Island nations alliance asking for a phase-out of throwaway packaging and finance for "
        "rubbish collection in the Pacific and the Caribbean.",
    ),
    (
        "Ensure every girl completes twelve years of quality education by removing school fees "
        "and building safe schools.",
        "Free, safe secondary schooling for all girls: abolish tuition costs and protect students "
        "on their way to class.",
    ),
    (
        "Protect environmental defenders and land rights activists from violence and "
        "criminalisation.",
        "Safety and legal support for people who defend forests and indigenous territories "
        "against threats and prosecution.",
    ),
    (
        "Reform the international financial architecture so that developing countries can borrow "
        "at lower cost and restructure unsustainable debt.",
        "Debt relief and cheaper long-term lending for the global South through changes to the "
        "multilateral development banks and the IMF.",
    ),
    (
        "Give young people a formal seat in UN decision making through a youth advisory council.",
        "Institutionalise meaningful youth participation in the United Nations with a standing "
        "youth body that is consulted before decisions are taken.",
    ),
    (
        "Universal access to clean cooking in sub-Saharan Africa by replacing charcoal stoves "
        "with LPG and electric cookers.",
        "Help African households switch from wood and charcoal to modern cookstoves to cut indoor "
        "air pollution.",
    ),
    (
        "Create a global fund for loss and damage to help communities recover from climate "
        "disasters.",
        "Money for vulnerable countries to rebuild after the floods, storms and droughts caused "
        "by climate change.",
    ),
    (
        "Regulate lethal autonomous weapons and keep meaningful human control over the use of "
        "force.",
        "A treaty banning killer robots: machines must never decide to take a human life.",
    ),
    (
        "Close the gender digital divide by giving women affordable internet access and digital "
        "skills training.",
        "Connectivity and digital literacy programmes for women and girls so that they are not "
        "left behind online.",
    ),
    (
        "Protect 30 percent of the ocean by 2030 through a network of marine protected areas.",
        "Expand fully and highly protected marine reserves to cover a third of the sea by the end "
        "of the decade.",
    ),
    (
        "Strengthen civil society access to the United Nations: accreditation, participation in "
        "meetings and protection from reprisals.",
        "Open up the UN to NGOs: easier accreditation, seats in intergovernmental meetings and "
        "safeguards against retaliation.",
    ),
    (
        "End child marriage by 2030 through laws setting 18 as the minimum age and community "
        "programmes.",
        "Raise the legal age of marriage to eighteen everywhere and work with families to stop "
        "early and forced marriage of children.",
    ),
    (
        "Integrate mental health care into primary health services and fund community-based "
        "psychosocial support.",
        "Make psychological support available at local clinics and in communities rather than "
        "only in psychiatric hospitals.",
    ),
    (
        "Halve food loss along supply chains by improving cold storage for smallholder farmers.",
        "Help small farmers keep harvests from spoiling with refrigeration and better storage, "
        "cutting post-harvest losses by half.",
    ),
    (
        "Establish an independent international scientific panel on artificial intelligence to "
        "advise governments on its risks.",
        "An IPCC-like body of experts to assess the dangers and opportunities of AI for policy "
        "makers worldwide.",
    ),
    (
        "Let refugees work legally and use national education and health systems in host "
        "countries.",
        "Right to employment, schooling and healthcare for displaced people living in host "
        "communities.",
    ),
    (
        "Renewable energy access in rural Africa: solar mini-grids for villages without "
        "electricity.",
        "Accès à l'énergie renouvelable dans l'Afrique rurale : des mini-réseaux solaires pour "
        "les villages privés d'électricité.",
    ),
    (
        "End violence against women and girls by funding shelters and training police to respond "
        "to gender-based violence.",
        "Poner fin a la violencia contra las mujeres y las niñas financiando refugios y formando "
        "a la policía para atender la violencia de género.",
    ),
    (
        "Protéger les mangroves et les récifs coralliens pour renforcer la résilience des "
        "communautés côtières.",
        "Restore coastal ecosystems such as mangrove forests and coral reefs to shield seaside "
        "communities from storms.",
    ),
    (
        "Garantizar el acceso universal al agua potable y al saneamiento en las zonas rurales de "
        "América Latina.",
        "Safe drinking water and toilets for every rural household in Latin America.",
    ),
    (
        "Réformer le Conseil de sécurité pour le rendre plus représentatif de l'Afrique.",
        "Security Council reform giving African countries permanent representation.",
    ),
    (
        "Reducir las emisiones de metano de la ganadería y de los vertederos.",
        "Réduire les émissions de méthane provenant de l'élevage et des décharges.",
    ),
]

NOT_MATCHING: list[tuple[str, str]] = [
    (
        "Recycle plastic bottles into building materials for low-cost housing.",
        "Ban microbeads in cosmetics to protect freshwater lakes.",
    ),
    (
        "Scholarships for women to study engineering at university.",
        "School meals to reduce child hunger in primary schools.",
    ),
    (
        "Carbon pricing across the G20 to pay for the energy transition.",
        "Community football leagues to prevent youth violence in cities.",
    ),
    (
        "A tax on financial transactions to fund global health.",
        "Protect coral reefs from bleaching through marine spatial planning.",
    ),
    (
        "A digital identity for every citizen to access public services online.",
        "Stop the online surveillance of journalists and human rights defenders.",
    ),
    (
        "Expand nuclear power to decarbonise electricity grids.",
        "Phase out nuclear power and close ageing reactors.",
    ),
    (
        "Promote deep-sea mining of critical minerals for batteries.",
        "A moratorium on seabed mining to protect ocean ecosystems.",
    ),
    (
        "Train midwives to reduce maternal mortality in remote areas.",
        "Open-source software for transparent municipal budgets.",
    ),
    (
        "Protect pollinators by banning neonicotinoid pesticides.",
        "Microfinance for women entrepreneurs in South Asia.",
    ),
    (
        "Support young people suing their governments over climate inaction.",
        "Apprenticeships in the green economy for school leavers.",
    ),
    (
        "Desalination plants for arid Gulf cities.",
        "Flood early warning systems for river deltas.",
    ),
    (
        "Universalise the Arms Trade Treaty to stop weapons reaching conflict zones.",
        "Landmine clearance and victim assistance in post-conflict countries.",
    ),
    (
        "Revitalise indigenous languages through community radio.",
        "Satellite monitoring of illegal fishing vessels.",
    ),
    (
        "Reduce the use of antibiotics in livestock to slow antimicrobial resistance.",
        "Vaccine manufacturing hubs in Africa.",
    ),
    (
        "Plant trees and build green roofs to cool cities during heatwaves.",
        "Affordable public transport fares for low-income commuters.",
    ),
    (
        "Soutenir les petits producteurs de cacao pour qu'ils obtiennent un revenu décent.",
        "Ban child labour in cobalt mines.",
    ),
    (
        "Acceso a internet en las escuelas rurales.",
        "Protect whales from ship strikes by slowing vessels in shipping lanes.",
    ),
    (
        "Gender-responsive budgeting in national finance ministries.",
        "Free menstrual products in schools.",
    ),
    (
        "Cancel the debt of countries hit by climate disasters.",
        "Develop green bond markets for private investors in emerging economies.",
    ),
    (
        "Disability-inclusive disaster risk reduction.",
        "Recognise sign language as an official national language.",
    ),
    (
        "Stop deforestation in the Amazon with due diligence on soy and beef supply chains.",
        "Plant a trillion trees worldwide through corporate offsetting.",
    ),
    (
        "More women at the table in peace negotiations.",
        "Prosecute the perpetrators of sexual violence in conflict.",
    ),
]
